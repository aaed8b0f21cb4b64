using BenchmarkDotNet.Attributes;

namespace Descent.Benchmarks;

/// <summary>The CPU kernels one at a time: matmul, elementwise, reductions and the fused cross-entropy.</summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private Tensor _a = null!, _b = null!, _x = null!, _y = null!, _logits = null!, _labels = null!;

    [Params(256, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(1);
        _a = Tensor.RandomUniform([N, N], g);
        _b = Tensor.RandomUniform([N, N], g);
        _x = Tensor.RandomUniform([1 << 22], g);
        _y = Tensor.RandomUniform([1 << 22], g);
        _logits = Tensor.RandomNormal([1024, 1000], g);
        var classes = new int[1024];
        for (int i = 0; i < classes.Length; i++) classes[i] = g.NextInt(1000);
        _labels = Tensor.FromArray(classes);
    }

    [Benchmark] public Tensor MatMul() => Tensor.MatMul(_a, _b);
    [Benchmark] public Tensor MatMulTransposed() => Tensor.MatMul(_a, _b, transposeA: true);
    [Benchmark] public Tensor Add4M() => _x + _y;
    [Benchmark] public Tensor Exp4M() => _x.Exp();
    [Benchmark] public Tensor Sum4M() => _x.Sum();
    [Benchmark] public Tensor SoftmaxCrossEntropy() => Tensor.SparseSoftmaxCrossEntropy(_logits, _labels);
}
