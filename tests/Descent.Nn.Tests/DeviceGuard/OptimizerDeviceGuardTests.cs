using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using MseMetric = Descent.Nn.Metrics.MeanSquaredError;
using MaeMetric = Descent.Nn.Metrics.MeanAbsoluteError;
using MseLoss = Descent.Nn.Losses.MeanSquaredError;
using MaeLoss = Descent.Nn.Losses.MeanAbsoluteError;
using Descent.Optimizers;

namespace Descent.Nn.Tests.DeviceGuard;

/// <summary>
/// Leak guard: every optimizer (with each clipping option and a schedule), every loss and every metric works on
/// tensors that live on the device under test while another device is the default, and gives the CPU's numbers.
/// </summary>
[OnEveryDevice]
public class OptimizerDeviceGuardTests
{
    private readonly Device _device = Device.Default;

    private static readonly Dictionary<string, Func<Optimizer>> Optimizers = new()
    {
        ["sgd"] = () => new SGD(0.1),
        ["sgd nesterov with weight decay"] = () => new SGD(0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        ["adam amsgrad"] = () => new Adam(0.1, amsgrad: true),
        ["adam with l2"] = () => new Adam(0.1, weightDecay: 0.01) { ClipValue = 0.5 },
        ["adamw"] = () => new AdamW(0.1) { ClipNorm = 0.5 },
        ["rmsprop centered with momentum"] = () => new RMSprop(0.05, momentum: 0.5, centered: true) { GlobalClipNorm = 0.5 },
        ["adagrad"] = () => new Adagrad(0.1, initialAccumulatorValue: 0.1),
        ["sgd with a cosine schedule"] = () => new SGD(0.1) { Schedule = new CosineDecay(0.1, decaySteps: 4) },
    };

    public static TheoryData<string> OptimizerNames => [.. Optimizers.Keys];

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void Optimizer_updates_variables_on_their_device_as_on_the_cpu(string name)
    {
        Tensor[] Run(Device device)
        {
            var optimizer = Optimizers[name]();
            Variable[] variables =
            [
                new(Tensor.FromArray(new[] { 0.5f, -1.5f, 2f, 0.25f }, [2, 2], device), "w"),
                new(Tensor.FromArray(new[] { 0.1, -0.2, 0.3 }, [3], device), "b"),
            ];
            for (int step = 0; step < 4; step++)
            {
                using var tape = new GradientTape();
                var loss = (variables[0] * variables[0]).Sum().Cast(DType.Float64) * (step + 1) + (variables[1] * 3.0).Exp().Sum();
                optimizer.ApplyGradients(tape.Gradient(loss, variables), variables);
            }
            return variables;
        }
        var expected = Elsewhere.OnTheCpu(() => Run(Device.Cpu));
        var actual = Elsewhere.Run(_device, () => Run(_device));
        for (int i = 0; i < expected.Length; i++)
        {
            Elsewhere.On(_device, actual[i], $"{name}: variable {i}");
            Elsewhere.Close(expected[i], actual[i], 1e-5, $"{name}: variable {i} on {_device} vs cpu");
        }
    }

    private static readonly Dictionary<string, (Func<Loss> Make, bool SparseLabels)> Losses = new()
    {
        ["mean squared error"] = (() => new MseLoss(), false),
        ["mean absolute error"] = (() => new MaeLoss(), false),
        ["huber"] = (() => new Huber(0.5), false),
        ["binary cross-entropy from logits, smoothed"] = (() => new BinaryCrossentropy(fromLogits: true, labelSmoothing: 0.1), false),
        ["categorical cross-entropy"] = (() => new CategoricalCrossentropy(labelSmoothing: 0.1), false),
        ["sparse categorical cross-entropy from logits"] = (() => new SparseCategoricalCrossentropy(fromLogits: true), true),
        ["kl divergence"] = (() => new KLDivergence(), false),
    };

    public static TheoryData<string> LossNames => [.. Losses.Keys];

    private static (Tensor Dense, Tensor Sparse, Tensor Prediction) Targets(Device device)
    {
        var labels = new[] { 2, 0, 1, 2 };
        var oneHot = labels.SelectMany(l => Enumerable.Range(0, 3).Select(c => c == l ? 1f : 0f)).ToArray();
        var p = new[] { 0.2f, 0.3f, 0.5f, 0.6f, 0.3f, 0.1f, 0.3f, 0.4f, 0.3f, 0.1f, 0.1f, 0.8f };
        return (Tensor.FromArray(oneHot, [4, 3], device), Tensor.FromArray(labels, [4], device), Tensor.FromArray(p, [4, 3], device));
    }

    [Theory]
    [MemberData(nameof(LossNames))]
    public void Loss_and_its_gradient_stay_on_the_device_and_match_the_cpu(string name)
    {
        Tensor[] Run(Device device)
        {
            var (dense, sparse, p) = Targets(device);
            using var tape = new GradientTape();
            tape.Watch(p);
            var loss = Losses[name].Make().Compute(Losses[name].SparseLabels ? sparse : dense, p);
            return [loss, tape.Gradient(loss, p)!];
        }
        var expected = Elsewhere.OnTheCpu(() => Run(Device.Cpu));
        var actual = Elsewhere.Run(_device, () => Run(_device));
        for (int i = 0; i < expected.Length; i++)
        {
            Elsewhere.On(_device, actual[i], i == 0 ? $"{name}: the loss" : $"{name}: its gradient");
            Elsewhere.Close(expected[i], actual[i], 1e-5, $"{name} on {_device} vs cpu");
        }
    }

    private static readonly Dictionary<string, (Func<Metric> Make, bool SparseLabels)> Metrics = new()
    {
        ["accuracy"] = (() => new Accuracy(), false),
        ["binary accuracy"] = (() => new BinaryAccuracy(threshold: 0.35), false),
        ["categorical accuracy"] = (() => new CategoricalAccuracy(), false),
        ["sparse categorical accuracy"] = (() => new SparseCategoricalAccuracy(), true),
        ["top 2 categorical accuracy"] = (() => new TopKCategoricalAccuracy(k: 2), false),
        ["sparse top 2 categorical accuracy"] = (() => new SparseTopKCategoricalAccuracy(k: 2), true),
        ["mean squared error"] = (() => new MseMetric(), false),
        ["mean absolute error"] = (() => new MaeMetric(), false),
        ["precision"] = (() => new Precision(threshold: 0.35), false),
        ["recall"] = (() => new Recall(threshold: 0.35), false),
        ["auc"] = (() => new AUC(numThresholds: 50), false),
    };

    public static TheoryData<string> MetricNames => [.. Metrics.Keys];

    [Theory]
    [MemberData(nameof(MetricNames))]
    public void Metric_accumulates_batches_on_the_device_as_on_the_cpu(string name)
    {
        double Run(Device device)
        {
            var (dense, sparse, p) = Targets(device);
            var metric = Metrics[name].Make();
            var labels = Metrics[name].SparseLabels ? sparse : dense;
            metric.UpdateState(labels, p);
            metric.UpdateState(labels.SliceAxis(0, 1, 2), p.SliceAxis(0, 1, 2));
            return metric.Result();
        }
        double expected = Elsewhere.OnTheCpu(() => Run(Device.Cpu));
        double actual = Elsewhere.Run(_device, () => Run(_device));
        Assert.True(Math.Abs(expected - actual) <= 1e-6, $"{name}: {actual:R} on {_device}, {expected:R} on the cpu");
    }
}
