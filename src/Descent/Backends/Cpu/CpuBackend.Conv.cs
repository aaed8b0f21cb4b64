namespace Descent.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>
    /// Whether convolutions run the direct kernels (the default where AVX-512 is) rather than im2col and the packed
    /// GEMM; tests and benchmarks switch it to compare the two.
    /// </summary>
    internal static bool DirectConvolution { get; set; } = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    public void Conv2D(Storage x, Layout xLayout, Storage w, Layout wLayout, Storage y, Conv2DGeometry g)
    {
        ConvArgs.Check("Conv2D", g, y, g.OutputShape, (x, xLayout, g.InputShape, "x"), (w, wLayout, g.KernelShape, "w"));
        if (y.DType == DType.Float32) Convolution<float>.Forward(Cpu(x).Array<float>(), xLayout, Cpu(w).Array<float>(), wLayout, Cpu(y).Array<float>(), g);
        else Convolution<double>.Forward(Cpu(x).Array<double>(), xLayout, Cpu(w).Array<double>(), wLayout, Cpu(y).Array<double>(), g);
        // The kernels hold bare arrays; a pooled storage must not be finalized (and its array reused) before they finish.
        GC.KeepAlive(x);
        GC.KeepAlive(w);
        GC.KeepAlive(y);
    }

    /// <inheritdoc/>
    public void Conv2DBackwardInput(Storage dy, Layout dyLayout, Storage w, Layout wLayout, Storage dx, Conv2DGeometry g)
    {
        ConvArgs.Check("Conv2DBackwardInput", g, dx, g.InputShape, (dy, dyLayout, g.OutputShape, "dy"), (w, wLayout, g.KernelShape, "w"));
        if (dx.DType == DType.Float32) Convolution<float>.BackwardInput(Cpu(dy).Array<float>(), dyLayout, Cpu(w).Array<float>(), wLayout, Cpu(dx).Array<float>(), g);
        else Convolution<double>.BackwardInput(Cpu(dy).Array<double>(), dyLayout, Cpu(w).Array<double>(), wLayout, Cpu(dx).Array<double>(), g);
        GC.KeepAlive(dy);
        GC.KeepAlive(w);
        GC.KeepAlive(dx);
    }

    /// <inheritdoc/>
    public void Conv2DBackwardFilter(Storage x, Layout xLayout, Storage dy, Layout dyLayout, Storage dw, Conv2DGeometry g)
    {
        ConvArgs.Check("Conv2DBackwardFilter", g, dw, g.KernelShape, (x, xLayout, g.InputShape, "x"), (dy, dyLayout, g.OutputShape, "dy"));
        if (dw.DType == DType.Float32) Convolution<float>.BackwardFilter(Cpu(x).Array<float>(), xLayout, Cpu(dy).Array<float>(), dyLayout, Cpu(dw).Array<float>(), g);
        else Convolution<double>.BackwardFilter(Cpu(x).Array<double>(), xLayout, Cpu(dy).Array<double>(), dyLayout, Cpu(dw).Array<double>(), g);
        GC.KeepAlive(x);
        GC.KeepAlive(dy);
        GC.KeepAlive(dw);
    }
}
