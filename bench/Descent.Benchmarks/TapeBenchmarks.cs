using BenchmarkDotNet.Attributes;
using Descent.Optimizers;

namespace Descent.Benchmarks;

/// <summary>Per-op overhead on tiny tensors: the article's linear-regression epoch under a tape.</summary>
[MemoryDiagnoser]
public class TapeBenchmarks
{
    private readonly Tensor _x = Tensor.FromArray(new[] { 0f, 0.25f, 0.5f, 0.74f, 1f });
    private readonly Tensor _y = Tensor.FromArray(new[] { 0f, 0.36f, 0.54f, 0.82f, 1f });
    private readonly Variable _a = new(0f), _b = new(0f);
    private readonly SGD _optimizer = new(5e-4);

    [Benchmark]
    public void LinearRegressionEpoch()
    {
        using var tape = new GradientTape();
        var loss = (_a * _x + _b - _y).Square().Sum();
        _optimizer.ApplyGradients(tape.Gradient(loss, [_a, _b]), [_a, _b]);
    }

    [Benchmark]
    public Tensor ScalarTimesVector() => _a * _x;
}
