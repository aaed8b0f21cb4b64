using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Descent.Backends.Cpu.GemmMicroKernel;

namespace Descent.Backends.Cpu;

/// <summary>How many 512-bit vectors wide a tile is; a type argument, so each width compiles to its own loop.</summary>
internal interface IVectorCount
{
    static abstract int Count { get; }
}

internal struct OneVector : IVectorCount { public static int Count => 1; }
internal struct TwoVectors : IVectorCount { public static int Count => 2; }
internal struct ThreeVectors : IVectorCount { public static int Count => 3; }
internal struct FourVectors : IVectorCount { public static int Count => 4; }

/// <summary>Six pointers, one per tile row: where each row reads its operand or writes its result.</summary>
internal unsafe struct Rows6<T> where T : unmanaged
{
    private fixed long _rows[6];

    public T* this[int r]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly get => (T*)_rows[r];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _rows[r] = (long)value;
    }
}

/// <summary>
/// The register-blocked kernels of the direct convolution: a tile of six rows by one to four 512-bit vectors of
/// columns stays in registers while the reduction runs, as in the GEMM micro-kernel, but the six rows read their
/// operand straight from the image (no im2col copy, no packing). Each row's sum runs in a fixed order, whatever
/// the other rows of its tile are, so tiling never changes a result.
/// </summary>
internal static unsafe class ConvKernels
{
    public const int Rows = 6;

    /// <summary>
    /// c[r, :] (+)= Σ_t Σ_{k &lt; run} a_r[taps[t] + k] · b[(t·run + k)·ldb, :] for the six rows r: row r's window starts
    /// at a_r, and b holds one row of TV vectors per (tap, k): the forward convolution, and the input gradient of a
    /// unit-stride one (a convolution with the kernel flipped).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Window<T, TV>(in Rows6<T> a, int* taps, int tapCount, int run, T* b, nint ldb, in Rows6<T> c, bool accumulate)
        where T : unmanaged where TV : struct, IVectorCount
    {
        int v = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<T> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<T> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<T> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<T> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<T> c50 = default, c51 = default, c52 = default, c53 = default;
        for (int t = 0; t < tapCount; t++)
        {
            nint o = taps[t];
            T* p0 = a[0] + o, p1 = a[1] + o, p2 = a[2] + o, p3 = a[3] + o, p4 = a[4] + o, p5 = a[5] + o;
            for (int k = 0; k < run; k++, b += ldb)
            {
                var b0 = Vector512.Load(b);
                var b1 = TV.Count > 1 ? Vector512.Load(b + v) : default;
                var b2 = TV.Count > 2 ? Vector512.Load(b + 2 * v) : default;
                var b3 = TV.Count > 3 ? Vector512.Load(b + 3 * v) : default;
                Step<T, TV>(Vector512.Create(p0[k]), b0, b1, b2, b3, ref c00, ref c01, ref c02, ref c03);
                Step<T, TV>(Vector512.Create(p1[k]), b0, b1, b2, b3, ref c10, ref c11, ref c12, ref c13);
                Step<T, TV>(Vector512.Create(p2[k]), b0, b1, b2, b3, ref c20, ref c21, ref c22, ref c23);
                Step<T, TV>(Vector512.Create(p3[k]), b0, b1, b2, b3, ref c30, ref c31, ref c32, ref c33);
                Step<T, TV>(Vector512.Create(p4[k]), b0, b1, b2, b3, ref c40, ref c41, ref c42, ref c43);
                Step<T, TV>(Vector512.Create(p5[k]), b0, b1, b2, b3, ref c50, ref c51, ref c52, ref c53);
            }
        }
        Store<T, TV>(c[0], c00, c01, c02, c03, accumulate);
        Store<T, TV>(c[1], c10, c11, c12, c13, accumulate);
        Store<T, TV>(c[2], c20, c21, c22, c23, accumulate);
        Store<T, TV>(c[3], c30, c31, c32, c33, accumulate);
        Store<T, TV>(c[4], c40, c41, c42, c43, accumulate);
        Store<T, TV>(c[5], c50, c51, c52, c53, accumulate);
    }

    /// <summary>
    /// c[r, :] (+)= Σ_m image[bases[m] + k_r] · dy[m·lddy, :] for the six rows r (kernel taps at offsets k_r within a
    /// window): the filter gradient, summed over output pixels m in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Filter<T, TV>(T* image, int* bases, int count, int* k, T* dy, nint lddy, in Rows6<T> c, bool accumulate)
        where T : unmanaged where TV : struct, IVectorCount
    {
        int v = Vector512<T>.Count;
        nint k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5];
        Vector512<T> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<T> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<T> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<T> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<T> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<T> c50 = default, c51 = default, c52 = default, c53 = default;
        for (int m = 0; m < count; m++, dy += lddy)
        {
            T* p = image + bases[m];
            var d0 = Vector512.Load(dy);
            var d1 = TV.Count > 1 ? Vector512.Load(dy + v) : default;
            var d2 = TV.Count > 2 ? Vector512.Load(dy + 2 * v) : default;
            var d3 = TV.Count > 3 ? Vector512.Load(dy + 3 * v) : default;
            Step<T, TV>(Vector512.Create(p[k0]), d0, d1, d2, d3, ref c00, ref c01, ref c02, ref c03);
            Step<T, TV>(Vector512.Create(p[k1]), d0, d1, d2, d3, ref c10, ref c11, ref c12, ref c13);
            Step<T, TV>(Vector512.Create(p[k2]), d0, d1, d2, d3, ref c20, ref c21, ref c22, ref c23);
            Step<T, TV>(Vector512.Create(p[k3]), d0, d1, d2, d3, ref c30, ref c31, ref c32, ref c33);
            Step<T, TV>(Vector512.Create(p[k4]), d0, d1, d2, d3, ref c40, ref c41, ref c42, ref c43);
            Step<T, TV>(Vector512.Create(p[k5]), d0, d1, d2, d3, ref c50, ref c51, ref c52, ref c53);
        }
        Store<T, TV>(c[0], c00, c01, c02, c03, accumulate);
        Store<T, TV>(c[1], c10, c11, c12, c13, accumulate);
        Store<T, TV>(c[2], c20, c21, c22, c23, accumulate);
        Store<T, TV>(c[3], c30, c31, c32, c33, accumulate);
        Store<T, TV>(c[4], c40, c41, c42, c43, accumulate);
        Store<T, TV>(c[5], c50, c51, c52, c53, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<T, TV>(Vector512<T> x, Vector512<T> b0, Vector512<T> b1, Vector512<T> b2, Vector512<T> b3,
        ref Vector512<T> c0, ref Vector512<T> c1, ref Vector512<T> c2, ref Vector512<T> c3) where TV : struct, IVectorCount
    {
        c0 = Fma(x, b0, c0);
        if (TV.Count > 1) c1 = Fma(x, b1, c1);
        if (TV.Count > 2) c2 = Fma(x, b2, c2);
        if (TV.Count > 3) c3 = Fma(x, b3, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T, TV>(T* c, Vector512<T> x0, Vector512<T> x1, Vector512<T> x2, Vector512<T> x3, bool accumulate)
        where T : unmanaged where TV : struct, IVectorCount
    {
        int v = Vector512<T>.Count;
        if (accumulate)
        {
            x0 += Vector512.Load(c);
            if (TV.Count > 1) x1 += Vector512.Load(c + v);
            if (TV.Count > 2) x2 += Vector512.Load(c + 2 * v);
            if (TV.Count > 3) x3 += Vector512.Load(c + 3 * v);
        }
        x0.Store(c);
        if (TV.Count > 1) x1.Store(c + v);
        if (TV.Count > 2) x2.Store(c + 2 * v);
        if (TV.Count > 3) x3.Store(c + 3 * v);
    }
}
