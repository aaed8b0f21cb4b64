using Descent.Backends;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

// Convolution's three products as implicit GEMMs, and max pooling.
internal sealed partial class CudaBackend
{
    public void Conv2D(Storage x, Layout xLayout, Storage w, Layout wLayout, Storage y, Conv2DGeometry g)
    {
        ConvArgs.Check("Conv2D", g, y, g.OutputShape, (x, xLayout, g.InputShape, "x"), (w, wLayout, g.KernelShape, "w"));
        ImplicitGemm(ConvProduct.Forward, Own(x, "Conv2D"), xLayout, Own(w, "Conv2D"), wLayout, Own(y, "Conv2D"), g,
            g.Batch * g.OutHeight * g.OutWidth, g.OutChannels, g.KernelHeight * g.KernelWidth * g.InChannels, "Conv2D");
    }

    public void Conv2DBackwardInput(Storage dy, Layout dyLayout, Storage w, Layout wLayout, Storage dx, Conv2DGeometry g)
    {
        ConvArgs.Check("Conv2DBackwardInput", g, dx, g.InputShape, (dy, dyLayout, g.OutputShape, "dy"), (w, wLayout, g.KernelShape, "w"));
        ImplicitGemm(ConvProduct.BackwardInput, Own(dy, "Conv2DBackwardInput"), dyLayout, Own(w, "Conv2DBackwardInput"), wLayout,
            Own(dx, "Conv2DBackwardInput"), g, g.Batch * g.InHeight * g.InWidth, g.InChannels, g.KernelHeight * g.KernelWidth * g.OutChannels,
            "Conv2DBackwardInput");
    }

    public void Conv2DBackwardFilter(Storage x, Layout xLayout, Storage dy, Layout dyLayout, Storage dw, Conv2DGeometry g)
    {
        ConvArgs.Check("Conv2DBackwardFilter", g, dw, g.KernelShape, (x, xLayout, g.InputShape, "x"), (dy, dyLayout, g.OutputShape, "dy"));
        ImplicitGemm(ConvProduct.BackwardFilter, Own(x, "Conv2DBackwardFilter"), xLayout, Own(dy, "Conv2DBackwardFilter"), dyLayout,
            Own(dw, "Conv2DBackwardFilter"), g, g.KernelHeight * g.KernelWidth * g.InChannels, g.OutChannels, g.Batch * g.OutHeight * g.OutWidth,
            "Conv2DBackwardFilter");
    }

    /// <summary>
    /// C[M, N] = A·B over K, tiled 64×64. When the tiles are too few to fill the device and K is long (the filter
    /// gradient sums over every output pixel), K is split over blockIdx.z into partial tiles summed afterwards in
    /// order; the split depends on the sizes only, so the result does not change from run to run.
    /// </summary>
    private void ImplicitGemm(ConvProduct product, CudaStorage a, Layout aLayout, CudaStorage b, Layout bLayout, CudaStorage c,
        Conv2DGeometry g, int m, int n, int k, string op)
    {
        long size = (long)m * n;
        if (size == 0) return;
        if (k == 0)
        {
            _gpu.Memset(c.Pointer, 0, size * CTypes.Size(c.DType), op);
            return;
        }
        uint tilesN = (uint)((n + ConvKernels.Tile - 1) / ConvKernels.Tile), tilesM = (uint)((m + ConvKernels.Tile - 1) / ConvKernels.Tile);
        int split = tilesM * tilesN >= 128 ? 1 : (int)Math.Clamp(k / 1024, 1, 64);
        int kChunk = (k + split - 1) / split;
        kChunk = (kChunk + ConvKernels.Step - 1) / ConvKernels.Step * ConvKernels.Step;
        split = (k + kChunk - 1) / kChunk;
        var target = split == 1 ? c : Scratch(c.DType, (int)(size * split));
        var kernel = Kernel(new("conv", (int)product, (int)c.DType, split == 1 ? 0 : 1),
            static key => ConvKernels.Gemm((ConvProduct)key.A, (DType)key.B, key.C == 1));
        var args = KernelArgs.Start().Int(m).Int(n).Int(k).Int(kChunk).Pointer(a).Layout(Whole(aLayout)).Pointer(b).Layout(Whole(bLayout)).Pointer(target);
        Geometry(args, g);
        _gpu.Launch(kernel, (tilesM, tilesN, (uint)split), ConvKernels.Threads, 0, args, op);
        args.Clear();
        if (split == 1) return;
        var sum = Kernel(new("sum_parts", (int)c.DType), static key => ConvKernels.SumParts((DType)key.A));
        Launch(sum, (int)size, KernelArgs.Start().Int((int)size).Int(split).Pointer(target).Pointer(c), op);
    }

    public void MaxPool2D(Storage x, Layout xLayout, Storage y, Storage argmax, Conv2DGeometry g)
    {
        ConvArgs.Check("MaxPool2D", g, y, g.OutputShape, (x, xLayout, g.InputShape, "x"));
        var (input, output, where) = (Own(x, "MaxPool2D"), Own(y, "MaxPool2D"), Own(argmax, "MaxPool2D"));
        Expect("MaxPool2D", DType.Int32, argmax);
        if (g.OutChannels != g.InChannels || argmax.Length < y.Length)
            throw new ArgumentException($"MaxPool2D: the geometry {g} or the argmax buffer of {argmax.Length} does not fit the output.");
        int total = g.Batch * g.OutHeight * g.OutWidth * g.OutChannels;
        if (total == 0) return;
        var kernel = Kernel(new("maxpool", (int)y.DType), static k => ConvKernels.MaxPool((DType)k.A));
        var args = KernelArgs.Start().Int(total).Pointer(input).Layout(Whole(xLayout)).Pointer(output).Pointer(where);
        Geometry(args, g);
        Launch(kernel, total, args, "MaxPool2D");
    }

    /// <summary>A rank-4 layout passed as it is (no collapsing: the kernels index it by image coordinates).</summary>
    private static Strided Whole(Layout layout) => new(layout.Offset, [.. layout.Shape], [.. layout.Strides]);

    private static void Geometry(KernelArgs args, Conv2DGeometry g) =>
        args.Int(g.Batch).Int(g.InHeight).Int(g.InWidth).Int(g.InChannels).Int(g.KernelHeight).Int(g.KernelWidth).Int(g.OutChannels)
            .Int(g.StrideHeight).Int(g.StrideWidth).Int(g.DilationHeight).Int(g.DilationWidth).Int(g.PadTop).Int(g.PadLeft)
            .Int(g.OutHeight).Int(g.OutWidth);
}
