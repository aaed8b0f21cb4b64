using System.Diagnostics;
using Descent.Nn.Callbacks;
using Descent.Nn.Data;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Training;
using Descent.Optimizers;
using Spectre.Console;

namespace Descent.Cli.Training;

/// <summary>
/// The work of <c>descent train</c>: load the data, split it 80/20 by class with the seed, scale it from the training
/// rows, train the network with a progress display, and evaluate it on the held-out rows. <c>starting</c> runs once
/// the data and the model are ready, just before training.
/// </summary>
internal static class Trainer
{
    public static TrainResult Run(TrainSettings s, IAnsiConsole progress, int verbose, Action? starting = null)
    {
        var data = DatasetChoice.Load(s.Dataset, s.Target, out var skipped);
        var labels = data.Labels!;
        var (trainRows, testRows) = DataSplit.TrainTestSplit(data.Rows, TrainSettings.TestFraction, s.Seed, labels);
        var train = data.Subset(trainRows);
        var test = data.Subset(testRows);
        var scaler = ScalerFor(data, train);
        var xTrain = Scaled(train, scaler);
        var xTest = Scaled(test, scaler);

        var model = s.Model.Build(data.Columns, data.ClassCount, s.Seed, s.Dropout);
        model.Output = progress;
        model.Compile(CreateOptimizer(s.Optimizer, s.LearningRate), new SparseCategoricalCrossentropy(fromLogits: true),
            [new SparseCategoricalAccuracy("accuracy")]);
        var callbacks = new List<Callback>();
        EarlyStopping? stopper = null;
        if (s.EarlyStopping is { } patience)
            callbacks.Add(stopper = new EarlyStopping("val_loss", patience: patience, restoreBestWeights: true));

        // Bad data or a model that does not fit it fail above, before anything is printed.
        starting?.Invoke();
        var clock = Stopwatch.StartNew();
        var history = model.Fit(xTrain, Tensor.FromArray(train.Labels!, train.Rows), s.Epochs, s.BatchSize,
            s.ValidationSplit, callbacks: callbacks, verbose: verbose, seed: s.Seed);
        double seconds = clock.Elapsed.TotalSeconds;

        var yTest = Tensor.FromArray(test.Labels!, test.Rows);
        var evaluation = model.Evaluate(xTest, yTest, s.BatchSize);
        long[] predicted = model.Predict(xTest, 256).ArgMax(1).ToArray<long>();
        int validationRows = train.Rows - (int)Math.Floor(train.Rows * (1 - s.ValidationSplit));
        return new TrainResult(s, DatasetChoice.NameOf(s.Dataset), data, skipped, scaler, model, history,
            train.Rows - validationRows, validationRows, test, testRows, Array.ConvertAll(predicted, p => (int)p),
            evaluation["loss"], evaluation["accuracy"], seconds,
            stopper is { StoppedEpoch: >= 0 } ? stopper.StoppedEpoch + 1 : null,
            stopper is { BestEpoch: >= 0 } ? stopper.BestEpoch + 1 : null);
    }

    /// <summary>
    /// The library's optimizer registered as <paramref name="name"/> (<see cref="Registries.Optimizers"/>: Keras's names,
    /// with the library's defaults, so "sgd" is plain SGD as Keras's "sgd" is), at learning rate <paramref name="lr"/>.
    /// </summary>
    public static Optimizer CreateOptimizer(string name, double lr)
    {
        var optimizer = Registries.Optimizers.Create(name);
        optimizer.LearningRate = lr;
        return optimizer;
    }

    // Digits are pixel counts 0..16: one fixed range keeps the images images (a per-pixel standardization would
    // blow up the nearly constant border pixels). Other data is standardized with statistics of the training rows only.
    private static IScaler ScalerFor(TabularData all, TabularData train) =>
        all.Source == "digits"
            ? new MinMaxScaler(new float[all.Columns], Enumerable.Repeat(16f, all.Columns).ToArray())
            : FeatureScaler.Fit(train);

    private static Tensor Scaled(TabularData data, IScaler scaler) =>
        Tensor.FromArray(scaler.Transform(data).Features, data.Rows, data.Columns);
}
