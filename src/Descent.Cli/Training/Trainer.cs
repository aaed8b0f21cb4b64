using System.Diagnostics;
using System.Globalization;
using Descent.Nn.Callbacks;
using Descent.Nn.Data;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Training;
using Descent.Optimizers;

namespace Descent.Cli.Training;

/// <summary>
/// The work of <c>descent train</c>: load the data, split it 80/20 by class with the seed, scale it from the training
/// rows, train the network with a progress display, and evaluate it on the held-out rows. <c>starting</c> runs once
/// the data and the model are ready, just before training. A loss that turns NaN or infinite stops training with an
/// error; Ctrl-C (<paramref name="interrupts"/>) stops it after the current batch, with the weights of the last
/// finished epoch.
/// </summary>
internal static class Trainer
{
    public static TrainResult Run(TrainSettings s, TextWriter progress, int verbose, Action<DatasetChoice.Loaded>? starting = null,
        Interrupts? interrupts = null)
    {
        var loaded = DatasetChoice.Load(s.Dataset, s.Target, s.Ignore, s.Delimiter);
        var data = loaded.Data;
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
        var divergence = new DivergenceGuard();
        var lastEpoch = new LastEpochWeights(interrupts);
        var callbacks = new List<Callback> { divergence };
        EarlyStopping? stopper = null;
        if (s.EarlyStopping is { } patience)
            callbacks.Add(stopper = new EarlyStopping("val_loss", patience: patience, restoreBestWeights: true));
        if (interrupts is not null) callbacks.Add(lastEpoch);

        // Bad data or a model that does not fit it fail above, before anything is printed.
        starting?.Invoke(loaded);
        var clock = Stopwatch.StartNew();
        int? interruptedEpoch = null;
        var yTrain = Tensor.FromArray(train.Labels!, train.Rows);
        using (interrupts?.Catch())
        {
            try
            {
                model.Fit(xTrain, yTrain, s.Epochs, s.BatchSize, s.ValidationSplit, callbacks: callbacks, verbose: verbose, seed: s.Seed,
                    cancellationToken: interrupts?.Token ?? CancellationToken.None);
            }
            catch (OperationCanceledException) when (interrupts is { Interrupted: true })
            {
                interruptedEpoch = model.History!.Epochs.Count + 1;
                if (lastEpoch.Weights is not { } weights)
                    throw new OperationCanceledException("interrupted during epoch 1, before any epoch finished; nothing was saved.");
                // The unfinished epoch's batches are dropped: the model is the one the history's last row describes.
                model.SetWeights(weights);
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var history = model.History!;
        if (divergence.Epoch is { } bad)
            throw new InvalidOperationException(
                $"training diverged: the {divergence.Quantity} became {divergence.Value.ToString(CultureInfo.InvariantCulture)} in epoch {bad + 1}, " +
                $"so nothing was saved. The learning rate is too large for this model and data: try --lr {Rate(s.LearningRate / 10)} " +
                $"(this run: {s.Optimizer}, --lr {s.LearningRate.ToString("R", CultureInfo.InvariantCulture)}).");

        var yTest = Tensor.FromArray(test.Labels!, test.Rows);
        var evaluation = model.Evaluate(xTest, yTest, s.BatchSize);
        long[] predicted = model.Predict(xTest, 256).ArgMax(1).ToArray<long>();
        int validationRows = train.Rows - (int)Math.Floor(train.Rows * (1 - s.ValidationSplit));
        // After Ctrl-C the weights are the last finished epoch's, whatever early stopping had noted.
        var early = interruptedEpoch is null ? stopper : null;
        return new TrainResult(s, DatasetChoice.NameOf(s.Dataset), data, loaded.Skipped, scaler, model, history,
            train.Rows - validationRows, validationRows, test, testRows, Array.ConvertAll(predicted, p => (int)p),
            evaluation["loss"], evaluation["accuracy"], seconds,
            early is { StoppedEpoch: >= 0 } ? early.StoppedEpoch + 1 : null,
            early is { BestEpoch: >= 0 } ? early.BestEpoch + 1 : null,
            loaded.Ignored, loaded.Warnings, interruptedEpoch);
    }

    // A learning rate as a person types it: 0.0001 or 100, with an exponent only when very small or large (1E+29), and
    // without the binary noise of a division (0.1 / 10 is 0.010000000000000002).
    private static string Rate(double lr) => lr is >= 1e-4 and < 1e6
        ? lr.ToString("0.######", CultureInfo.InvariantCulture)
        : lr.ToString("G3", CultureInfo.InvariantCulture);

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

    /// <summary>
    /// Stops training at the end of an epoch whose loss (or validation loss) is NaN or infinite: every later epoch
    /// would be too. Checked once an epoch, so a step reads nothing extra back from the device.
    /// </summary>
    private sealed class DivergenceGuard : Callback
    {
        public int? Epoch { get; private set; }

        public string Quantity { get; private set; } = "";

        public double Value { get; private set; }

        public override void OnEpochEnd(int epoch, IDictionary<string, double> logs)
        {
            foreach (string key in new[] { "loss", "val_loss" })
                if (logs.TryGetValue(key, out double value) && !double.IsFinite(value))
                {
                    (Epoch, Quantity, Value) = (epoch, key == "loss" ? "training loss" : "validation loss", value);
                    TrainingModel.StopTraining = true;
                    return;
                }
        }
    }

    /// <summary>A copy of the weights at the end of each epoch, for Ctrl-C to go back to.</summary>
    private sealed class LastEpochWeights(Interrupts? interrupts) : Callback
    {
        public IReadOnlyList<Tensor>? Weights { get; private set; }

        public override void OnEpochEnd(int epoch, IDictionary<string, double> logs)
        {
            Weights = TrainingModel.GetWeights();
            interrupts?.OnEpochFinished(epoch + 1);
        }
    }
}
