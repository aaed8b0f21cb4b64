using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Descent.Backends.Cpu.ConvKernels;

namespace Descent.Backends.Cpu;

/// <summary>
/// The direct convolution: the register tiles of <see cref="ConvKernels"/> read each window straight from the
/// (padded) image, so neither the forward nor the filter gradient copies the M·K window matrix that im2col builds.
/// Fast where AVX-512 is; elsewhere Vector512 is emulated and im2col with the GEMM's 256-bit kernels wins.
/// </summary>
internal static unsafe class ConvDirect<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Below this many multiply-adds a chunk of work is not worth handing to another thread.
    private const long ParallelWork = 1 << 17;

    // The filter gradient sums over output pixels in chunks of this many, so a chunk's rows of dy stay in cache
    // while every tile of the chunk's thread reads them. The chunks depend only on the geometry.
    private const int PixelChunk = 1024;

    private static int Lanes => Vector512<T>.Count;

    private static int RoundUp(int n, int unit) => (n + unit - 1) / unit * unit;

    /// <summary>y [M, N] = the windows of <paramref name="image"/> times w [K, N] (w's rows <paramref name="ldw"/> ≥ N apart, a multiple of the lanes).</summary>
    public static void Forward(in ConvImage<T> image, T[] w, int wOffset, int ldw, T[] y, Conv2DGeometry g)
    {
        int m = g.Batch * g.OutHeight * g.OutWidth, n = g.OutChannels, c = g.InChannels;
        var taps = image.TapOffsets(g);
        int tiles = (m + Rows - 1) / Rows;
        int grain = (int)Math.Max(1, ParallelWork / ((long)Rows * taps.Length * c * n));
        var im = image;
        fixed (T* pImage = image.Data, pw = w, py = y)
        fixed (int* pTaps = taps)
        {
            nint img = (nint)pImage, wp = (nint)(pw + wOffset), yp = (nint)py, tp = (nint)pTaps;
            Parallelism.For(tiles, grain, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
            {
                T* edge = stackalloc T[Rows * 4 * Vector512<T>.Count];
                Span<int> bases = stackalloc int[Rows];
                for (int tile = start; tile < end; tile++)
                {
                    int m0 = tile * Rows, rows = Math.Min(Rows, m - m0);
                    im.Bases(m0, bases[..rows], g);
                    var a = new Rows6<T>();
                    // A short last tile repeats its last row; only its real rows are stored.
                    for (int r = 0; r < Rows; r++) a[r] = (T*)img + bases[Math.Min(r, rows - 1)];
                    for (int n0 = 0; n0 < n; n0 += 4 * Lanes)
                    {
                        int vectors = Math.Min(4, (n - n0 + Lanes - 1) / Lanes), width = vectors * Lanes;
                        bool full = rows == Rows && n0 + width <= n;
                        var dst = new Rows6<T>();
                        for (int r = 0; r < Rows; r++) dst[r] = full ? (T*)yp + (long)(m0 + r) * n + n0 : edge + r * width;
                        Window(vectors, a, (int*)tp, taps.Length, c, (T*)wp + n0, ldw, dst, false);
                        if (full) continue;
                        for (int r = 0; r < rows; r++)
                            new ReadOnlySpan<T>(edge + r * width, Math.Min(width, n - n0)).CopyTo(new Span<T>((T*)yp + (long)(m0 + r) * n + n0, Math.Min(width, n - n0)));
                    }
                }
            });
        }
    }

    /// <summary>
    /// dw [K, N] (rows <paramref name="lddw"/> apart, whole tiles: K rounded up to six rows, N to the lanes) = the
    /// windows of <paramref name="image"/>, transposed, times dy [M, N] (rows <paramref name="lddy"/> apart, a
    /// multiple of the lanes). Each element sums the pixels in order, chunk by chunk.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardFilter(in ConvImage<T> image, T[] dy, int dyOffset, int lddy, T[] dw, int lddw, Conv2DGeometry g)
    {
        int m = g.Batch * g.OutHeight * g.OutWidth, c = g.InChannels, k = g.KernelHeight * g.KernelWidth * c;
        var taps = image.TapOffsets(g);
        // Each tap row's offset within a window, the last repeated to fill the last tile.
        var rowOffsets = new int[RoundUp(k, Rows)];
        for (int i = 0; i < rowOffsets.Length; i++)
        {
            int kk = Math.Min(i, k - 1);
            rowOffsets[i] = taps[kk / c] + kk % c;
        }
        var bases = CpuBackend.Instance.Pool.Rent<int>(m);
        try
        {
            image.Bases(0, bases.AsSpan(0, m), g);
            int blocks = (lddw + 4 * Lanes - 1) / (4 * Lanes), jobs = rowOffsets.Length / Rows * blocks;
            // Each thread takes one contiguous run of tiles and sweeps the pixels chunk by chunk, so all of its tiles
            // read a chunk while it is in cache. Who computes a tile never changes its sum.
            long work = (long)jobs * Rows * m * 4 * Lanes;
            int parts = (int)Math.Clamp(work / ParallelWork, 1, Math.Min(jobs, Parallelism.MaxThreads));
            fixed (T* pImage = image.Data, pdy = dy, pdw = dw)
            fixed (int* pBases = bases, pRows = rowOffsets)
            {
                nint img = (nint)pImage, dp = (nint)(pdy + dyOffset), wp = (nint)pdw, bp = (nint)pBases, rp = (nint)pRows;
                Parallelism.For(parts, 1, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (part, _) =>
                {
                    int start = (int)((long)jobs * part / parts), end = (int)((long)jobs * (part + 1) / parts);
                    for (int m0 = 0; m0 < m; m0 += PixelChunk)
                    {
                        int count = Math.Min(PixelChunk, m - m0);
                        for (int job = start; job < end; job++)
                        {
                            int tile = job / blocks, n0 = job % blocks * 4 * Lanes;
                            int vectors = Math.Min(4, (lddw - n0) / Lanes);
                            var dst = new Rows6<T>();
                            for (int r = 0; r < Rows; r++) dst[r] = (T*)wp + (long)(tile * Rows + r) * lddw + n0;
                            FilterTile(vectors, (T*)img, (int*)bp + m0, count, (int*)rp + tile * Rows, (T*)dp + (long)m0 * lddy + n0, lddy, dst, m0 > 0);
                        }
                    }
                });
            }
        }
        finally
        {
            CpuBackend.Instance.Pool.Return(bases, m, sizeof(int));
        }
    }

    private static void Window(int vectors, in Rows6<T> a, int* taps, int tapCount, int run, T* b, nint ldb, in Rows6<T> c, bool accumulate)
    {
        switch (vectors)
        {
            case 1: ConvKernels.Window<T, OneVector>(a, taps, tapCount, run, b, ldb, c, accumulate); break;
            case 2: ConvKernels.Window<T, TwoVectors>(a, taps, tapCount, run, b, ldb, c, accumulate); break;
            case 3: ConvKernels.Window<T, ThreeVectors>(a, taps, tapCount, run, b, ldb, c, accumulate); break;
            default: ConvKernels.Window<T, FourVectors>(a, taps, tapCount, run, b, ldb, c, accumulate); break;
        }
    }

    private static void FilterTile(int vectors, T* image, int* bases, int count, int* rows, T* dy, nint lddy, in Rows6<T> c, bool accumulate)
    {
        switch (vectors)
        {
            case 1: Filter<T, OneVector>(image, bases, count, rows, dy, lddy, c, accumulate); break;
            case 2: Filter<T, TwoVectors>(image, bases, count, rows, dy, lddy, c, accumulate); break;
            case 3: Filter<T, ThreeVectors>(image, bases, count, rows, dy, lddy, c, accumulate); break;
            default: Filter<T, FourVectors>(image, bases, count, rows, dy, lddy, c, accumulate); break;
        }
    }
}
