using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Models;
using Descent.Optimizers;

namespace Descent.Cli.Bench;

/// <summary>
/// One <see cref="Model.TrainStep"/> of the 784-256-128-10 ReLU MLP built as users build it: a Sequential of Dense
/// layers compiled with Adam and sparse cross-entropy from logits, on a batch of 128. The peer runs the same network
/// with torch.optim.Adam and cross_entropy.
/// </summary>
internal sealed class FitStep
{
    public const string Name = "fit_step_b128";

    private readonly Sequential _model;
    private readonly Tensor _x;
    private readonly Tensor _labels;

    /// <summary>The model and its batch of <paramref name="batch"/> rows, on <paramref name="device"/> (the default device when null).</summary>
    public FitStep(long seed = 0, Device? device = null, int batch = 128)
    {
        using var scope = Device.Use(device ?? Device.Default);
        _model = new Sequential([new Dense(256, "relu"), new Dense(128, "relu"), new Dense(10)], [784], seed);
        _model.Compile(new Adam(learningRate: 1e-3), new SparseCategoricalCrossentropy(fromLogits: true));
        var g = new Generator(seed);
        _x = Tensor.RandomNormal([batch, 784], g);
        var labels = new int[batch];
        for (int i = 0; i < labels.Length; i++) labels[i] = g.NextInt(10);
        _labels = Tensor.FromArray(labels);
    }

    /// <summary>One step; returns the running loss the step reports.</summary>
    public double Step() => _model.TrainStep(_x, _labels)["loss"];

    /// <summary>One step whose logs are never read, so nothing waits for the device (the peer's step calls no .item() either).</summary>
    public void StepWithoutReading() => _model.TrainStep(_x, _labels);

    /// <summary>Milliseconds per step: one warm-up step, then the best of 5 rounds of 100.</summary>
    public static BenchCase Run()
    {
        var step = new FitStep();
        return new(Name, Timing.BestOf(() => step.Step(), 100) * 1e3, "ms", "lower");
    }
}
