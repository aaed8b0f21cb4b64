using Descent.Cli.Commands;
using Descent.Cli.Training;

namespace Descent.Cli.Bench;

/// <summary>
/// <c>descent train</c>'s default run, through the same <see cref="Trainer"/>: load the embedded digits, split them,
/// train the mlp:256,128 with dropout for 60 epochs with validation after each, then evaluate on the test rows. Only
/// the run folder (files and plots) is left out. The peer trains the same network on the same data in PyTorch.
/// </summary>
internal static class FitDigits
{
    public const string Name = "fit_digits_60_epochs";

    /// <summary>Seconds per run, as the peer measures it: one warm-up run, then the best of two.</summary>
    public static BenchCase Run()
    {
        var settings = TrainCommand.Check("digits", null, ModelSpec.DefaultText, TrainSettings.DefaultEpochs, TrainSettings.DefaultBatchSize,
            "adam", null, TrainSettings.DefaultSeed, null, null);
        return new(Name, Timing.BestOf(() => Trainer.Run(settings, TextWriter.Null, verbose: 0), 1, rounds: 2), "s", "lower");
    }
}
