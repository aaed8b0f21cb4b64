using BenchmarkDotNet.Attributes;
using Descent.Backends.Cpu;

namespace Descent.Benchmarks;

/// <summary>
/// The convolution primitives on the layers of <c>descent train --model cnn</c> (batch 32, 3×3 "same"), on both CPU
/// paths: the direct kernels and im2col + the packed GEMM.
/// dotnet run -c Release --project bench/Descent.Benchmarks -- --filter '*ConvBenchmarks*'
/// </summary>
public class ConvBenchmarks
{
    private Tensor _x = null!, _kernel = null!, _dy = null!;
    private int[] _xShape = null!, _kernelShape = null!;

    /// <summary>"conv1" (8×8×1 → 16 filters) or "conv2" (4×4×16 → 32 filters).</summary>
    [Params("conv1", "conv2")]
    public string Layer { get; set; } = "conv1";

    [Params(true, false)]
    public bool Direct { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        CpuBackend.DirectConvolution = Direct;
        (_xShape, _kernelShape) = Layer == "conv1" ? (new[] { 32, 8, 8, 1 }, new[] { 3, 3, 1, 16 }) : (new[] { 32, 4, 4, 16 }, new[] { 3, 3, 16, 32 });
        var g = new Generator(1);
        _x = Tensor.RandomUniform(_xShape, g);
        _kernel = Tensor.RandomUniform(_kernelShape, g);
        _dy = Tensor.RandomUniform([_xShape[0], _xShape[1], _xShape[2], _kernelShape[3]], g);
    }

    [Benchmark] public Tensor Forward() => Tensor.Conv2D(_x, _kernel, padding: "same");
    [Benchmark] public Tensor BackwardInput() => Tensor.Conv2DBackpropInput(_xShape, _kernel, _dy, padding: "same");
    [Benchmark] public Tensor BackwardFilter() => Tensor.Conv2DBackpropFilter(_x, _kernelShape, _dy, padding: "same");
}
