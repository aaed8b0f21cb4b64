using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Backends.Cpu;

/// <summary>
/// Convolution and its two backward products on the CPU, as matrix products: with M = B·Ho·Wo output pixels,
/// K = kh·kw·cin taps and N = cout, the forward is y[M, N] = A[M, K] · w[K, N], where row m of A holds the window
/// of pixel m; the filter gradient is Aᵀ · dy and the input gradient puts dy · wᵀ back into the windows. With
/// AVX-512 the direct kernels (<see cref="ConvDirect{T}"/>) read A from the image in place, and a unit-stride input
/// gradient runs as a convolution with the flipped kernel; otherwise, and for a strided input gradient, A is
/// copied out (im2col) for the packed GEMM and the window gradients are added back (col2im). On the digits cnn's
/// layers the direct kernels take a sixth to two thirds of im2col's time (ConvBenchmarks in bench/Descent.Benchmarks).
/// Every element is summed in an order fixed by the geometry, so results do not depend on the thread count.
/// </summary>
internal static class Convolution<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Forward(T[] x, Layout xLayout, T[] w, Layout wLayout, T[] y, Conv2DGeometry g)
    {
        var (m, k, n) = Sizes(g);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            y.AsSpan(0, m * n).Clear();
            return;
        }
        using var image = ConvImage<T>.Read(x, xLayout, g, g.InChannels);
        if (Direct)
        {
            using var padded = ConvMatrix<T>.Read(w, wLayout, k, n, RoundUp(n, Lanes));
            ConvDirect<T>.Forward(image, padded.Data, padded.Offset, padded.Stride, y, g);
            return;
        }
        using var kernel = ConvMatrix<T>.Read(w, wLayout, k, n, n);
        var cols = CpuBackend.Instance.Pool.Rent<T>(m * k);
        try
        {
            Im2Col(image, g, cols);
            Gemm.Multiply<T>(cols.AsSpan(0, m * k), k, 1, kernel.Data.AsSpan(kernel.Offset), kernel.Stride, 1, y.AsSpan(0, m * n), n, m, n, k, false);
        }
        finally
        {
            CpuBackend.Instance.Pool.Return(cols, m * k, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        }
    }

    public static void BackwardFilter(T[] x, Layout xLayout, T[] dy, Layout dyLayout, T[] dw, Conv2DGeometry g)
    {
        var (m, k, n) = Sizes(g);
        if (k == 0 || n == 0) return;
        if (m == 0)
        {
            dw.AsSpan(0, k * n).Clear();
            return;
        }
        using var image = ConvImage<T>.Read(x, xLayout, g, g.InChannels);
        if (Direct)
        {
            FilterDirect(image, dy, dyLayout, dw, g);
            return;
        }
        using var gradient = ConvMatrix<T>.Read(dy, dyLayout, m, n, n);
        var cols = CpuBackend.Instance.Pool.Rent<T>(m * k);
        try
        {
            Im2Col(image, g, cols);
            // dw = colsᵀ · dy: the transposed operand is just a swap of strides for the packed GEMM.
            Gemm.Multiply<T>(cols.AsSpan(0, m * k), 1, k, gradient.Data.AsSpan(gradient.Offset), gradient.Stride, 1, dw.AsSpan(0, k * n), n, k, n, m, false);
        }
        finally
        {
            CpuBackend.Instance.Pool.Return(cols, m * k, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        }
    }

    public static void BackwardInput(T[] dy, Layout dyLayout, T[] w, Layout wLayout, T[] dx, Conv2DGeometry g)
    {
        var (m, k, n) = Sizes(g);
        int size = g.Batch * g.InHeight * g.InWidth * g.InChannels;
        if (size == 0) return;
        if (m == 0 || n == 0 || k == 0)
        {
            dx.AsSpan(0, size).Clear();
            return;
        }
        using var kernel = ConvMatrix<T>.Read(w, wLayout, k, n, n);
        if (Direct && g.StrideHeight == 1 && g.StrideWidth == 1)
        {
            InputByFlippedKernel(dy, dyLayout, kernel, dx, g);
            return;
        }
        using var gradient = ConvMatrix<T>.Read(dy, dyLayout, m, n, n);
        var cols = CpuBackend.Instance.Pool.Rent<T>(m * k);
        using var image = ConvImage<T>.Accumulator(dx, g, g.InChannels);
        try
        {
            // The window gradients dy · wᵀ, then each added back where its window came from.
            Gemm.Multiply<T>(gradient.Data.AsSpan(gradient.Offset), gradient.Stride, 1, kernel.Data.AsSpan(kernel.Offset), 1, kernel.Stride, cols.AsSpan(0, m * k), k, m, k, n, false);
            Col2Im(cols, g, image);
            image.CopyTo(dx, g);
        }
        finally
        {
            CpuBackend.Instance.Pool.Return(cols, m * k, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        }
    }

    private static bool Direct => CpuBackend.DirectConvolution;

    private static int Lanes => Vector512<T>.Count;

    private static int RoundUp(int n, int unit) => (n + unit - 1) / unit * unit;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterDirect(in ConvImage<T> image, T[] dy, Layout dyLayout, T[] dw, Conv2DGeometry g)
    {
        var (m, k, n) = Sizes(g);
        int ld = RoundUp(n, Lanes), rows = RoundUp(k, ConvKernels.Rows);
        using var gradient = ConvMatrix<T>.Read(dy, dyLayout, m, n, ld);
        // The kernel writes whole tiles; unless dw is made of whole tiles, they land in a scratch matrix first.
        bool whole = rows == k && ld == n;
        var target = whole ? dw : CpuBackend.Instance.Pool.Rent<T>(rows * ld);
        try
        {
            ConvDirect<T>.BackwardFilter(image, gradient.Data, gradient.Offset, ld, target, ld, g);
            if (!whole)
                for (int r = 0; r < k; r++) Array.Copy(target, r * ld, dw, r * n, n);
        }
        finally
        {
            if (!whole) CpuBackend.Instance.Pool.Return(target, rows * ld, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        }
    }

    /// <summary>
    /// With unit strides the input gradient is itself a convolution: of dy, padded the other way round, with the kernel
    /// flipped in space and its two channel axes swapped. So it runs on the forward kernel, which reads its windows
    /// in place, instead of scattering window gradients back (col2im).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputByFlippedKernel(T[] dy, Layout dyLayout, in ConvMatrix<T> kernel, T[] dx, Conv2DGeometry g)
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, cin = g.InChannels, cout = g.OutChannels, ld = RoundUp(cin, Lanes);
        var flipped = g with
        {
            InHeight = g.OutHeight, InWidth = g.OutWidth, InChannels = cout, OutChannels = cin,
            PadTop = (kh - 1) * g.DilationHeight - g.PadTop, PadLeft = (kw - 1) * g.DilationWidth - g.PadLeft,
            OutHeight = g.InHeight, OutWidth = g.InWidth,
        };
        int length = kh * kw * cout * ld;
        var w = CpuBackend.Instance.Pool.Rent<T>(length);
        try
        {
            Array.Clear(w, 0, length);
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                    for (int ci = 0; ci < cin; ci++)
                    {
                        int src = kernel.Offset + (((kh - 1 - i) * kw + kw - 1 - j) * cin + ci) * kernel.Stride;
                        int dst = (i * kw + j) * cout * ld + ci;
                        for (int co = 0; co < cout; co++) w[dst + co * ld] = kernel.Data[src + co];
                    }
            using var image = ConvImage<T>.Read(dy, dyLayout, flipped, cout);
            ConvDirect<T>.Forward(image, w, 0, ld, dx, flipped);
        }
        finally
        {
            CpuBackend.Instance.Pool.Return(w, length, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        }
    }

    private static (int M, int K, int N) Sizes(in Conv2DGeometry g) =>
        (g.Batch * g.OutHeight * g.OutWidth, g.KernelHeight * g.KernelWidth * g.InChannels, g.OutChannels);

    /// <summary>Row m of <paramref name="cols"/> [M, K] gets the window of output pixel m, taps in (i, j, ci) order.</summary>
    private static void Im2Col(ConvImage<T> image, Conv2DGeometry g, T[] cols)
    {
        int m = g.Batch * g.OutHeight * g.OutWidth, c = g.InChannels, k = g.KernelHeight * g.KernelWidth * c;
        var taps = image.TapOffsets(g);
        Parallelism.For(m, Math.Max(1, Parallelism.ElementThreshold / k), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            var src = image.Data;
            for (int p = start; p < end; p++)
            {
                int origin = image.Base(p, g), row = p * k;
                for (int t = 0; t < taps.Length; t++)
                    Array.Copy(src, origin + taps[t], cols, row + t * c, c);
            }
        });
    }

    /// <summary>
    /// Adds each window's gradient, row m of <paramref name="cols"/>, into the grid where the window was read. Images
    /// are independent and each is summed in pixel order, so threads split the batch without changing any sum.
    /// </summary>
    private static void Col2Im(T[] cols, Conv2DGeometry g, ConvImage<T> image)
    {
        int perImage = g.OutHeight * g.OutWidth, c = g.InChannels, k = g.KernelHeight * g.KernelWidth * c;
        var taps = image.TapOffsets(g);
        Parallelism.For(g.Batch, Math.Max(1, Parallelism.ElementThreshold / (perImage * k)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            var dst = image.Data;
            for (int p = start * perImage; p < end * perImage; p++)
            {
                int origin = image.Base(p, g), row = p * k;
                for (int t = 0; t < taps.Length; t++)
                {
                    var target = dst.AsSpan(origin + taps[t], c);
                    TensorPrimitives.Add(target, cols.AsSpan(row + t * c, c), target);
                }
            }
        });
    }
}
