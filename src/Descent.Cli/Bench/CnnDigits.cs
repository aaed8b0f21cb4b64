using Descent.Cli.Training;
using Descent.Nn.Data;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Models;

namespace Descent.Cli.Bench;

/// <summary>
/// <c>descent train --model cnn</c>'s training run, without its files and final test: the digits split 80/20 by
/// class with seed 42, pixels scaled to [0, 1], 10 % of the training rows held out to validate after every epoch,
/// the cnn of <see cref="ModelSpec"/>, Adam 1e-3, batch 32. bench/peer_cnn.py runs the same loop in PyTorch.
/// </summary>
internal sealed class CnnDigits
{
    public const string Name = "cnn_digits_20_epochs";

    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly int _features;
    private readonly int _classes;

    public CnnDigits()
    {
        var data = EmbeddedDatasets.Digits();
        var (train, _) = DataSplit.TrainTestSplit(data.Rows, TrainSettings.TestFraction, TrainSettings.DefaultSeed, data.Labels);
        var rows = data.Subset(train);
        var features = (float[])rows.Features.Clone();
        for (int i = 0; i < features.Length; i++) features[i] /= 16f; // the trainer's fixed pixel scaling
        _x = Tensor.FromArray(features, rows.Rows, rows.Columns);
        _y = Tensor.FromArray(rows.Labels!, rows.Rows);
        _features = data.Columns;
        _classes = data.ClassCount;
    }

    /// <summary>Builds a fresh model and trains it for <paramref name="epochs"/> epochs; returns the last validation loss.</summary>
    public double Fit(int epochs = 20)
    {
        var model = ModelSpec.Parse("cnn").Build(_features, _classes, TrainSettings.DefaultSeed, TrainSettings.DefaultDropout);
        model.Compile(Trainer.CreateOptimizer("adam", TrainSettings.DefaultLearningRate("adam")),
            new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy("accuracy")]);
        var history = model.Fit(_x, _y, epochs, TrainSettings.DefaultBatchSize, TrainSettings.DefaultValidationSplit,
            verbose: 0, seed: TrainSettings.DefaultSeed);
        return history["val_loss"][^1];
    }

    /// <summary>Seconds per run, as the peer measures it: one warm-up run, then the best of two.</summary>
    public static BenchCase Run()
    {
        var bench = new CnnDigits();
        return new(Name, Timing.BestOf(() => bench.Fit(), 1, rounds: 2), "s", "lower");
    }
}
