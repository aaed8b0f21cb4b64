using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static Descent.Backends.Cpu.GemmMicroKernel;

namespace Descent.Backends.Cpu;

/// <summary>
/// Dense matrix multiply on strided operands, BLIS-style: B is packed in blocks that fit L2, A in
/// MR-row panels, and a register-blocked SIMD kernel computes each MR x NR tile of C.
/// Each C element is summed in the same order whatever the thread count, so results are bit-identical
/// with 1 or many threads.
/// </summary>
internal static unsafe class Gemm
{
    // Below this many multiply-adds, packing and thread start-up cost more than they save.
    private const long DirectLimit = 32 * 32 * 32;
    private const long ParallelLimit = 96 * 96 * 96;

    // Cache blocking, in bytes so that float and double share it: a B block (Kc x Nc, ~1 MB) fills the
    // L2 of Zen 4 while the A micro-panel (MR x Kc) stays in L1 and the kernel sweeps the B micro-panels.
    // Tuned on a 2-core Zen 4 (EPYC 9004) VM; a larger Nc measured ~4% faster than an L2-half block.
    private const int KcBytes = 384 * 4;
    private const int NcBytes = 640 * 4;
    private const int McRows = 120;

    /// <summary>The most threads one multiply uses; tests set 1 to check bit-identical results.</summary>
    internal static int MaxThreads
    {
        get => Parallelism.MaxThreads;
        set => Parallelism.MaxThreads = value;
    }

    /// <summary>C = A B (or C += A B when <paramref name="accumulate"/>), with A m x k, B k x n, C m x n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, int aRowStride, int aColStride,
                                ReadOnlySpan<float> b, int bRowStride, int bColStride,
                                Span<float> c, int cRowStride, int m, int n, int k, bool accumulate = false)
        => Multiply<float>(a, aRowStride, aColStride, b, bRowStride, bColStride, c, cRowStride, m, n, k, accumulate);

    /// <summary>C = A B (or C += A B when <paramref name="accumulate"/>), with A m x k, B k x n, C m x n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<double> a, int aRowStride, int aColStride,
                                ReadOnlySpan<double> b, int bRowStride, int bColStride,
                                Span<double> c, int cRowStride, int m, int n, int k, bool accumulate = false)
        => Multiply<double>(a, aRowStride, aColStride, b, bRowStride, bColStride, c, cRowStride, m, n, k, accumulate);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply<T>(ReadOnlySpan<T> a, int aRowStride, int aColStride,
                                    ReadOnlySpan<T> b, int bRowStride, int bColStride,
                                    Span<T> c, int cRowStride, int m, int n, int k, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckExtent(a.Length, m, aRowStride, k, aColStride, nameof(a));
        CheckExtent(b.Length, k, bRowStride, n, bColStride, nameof(b));
        CheckExtent(c.Length, m, cRowStride, n, 1, nameof(c));
        if (m > 1 && cRowStride < n)
            throw new ArgumentException($"Gemm: C row stride {cRowStride} is less than n = {n}; rows would overlap.", nameof(cRowStride));
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++)
                    c.Slice(i * cRowStride, n).Clear();
            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            long work = (long)m * n * k;
            if (work < DirectLimit || !Vector256.IsHardwareAccelerated)
            {
                Direct(pa, aRowStride, aColStride, pb, bRowStride, bColStride, pc, cRowStride, m, n, k, accumulate);
                return;
            }
            // Both kernels sum each element in the same order, so this choice never changes results. The
            // narrow one wins when n would leave much of the wide tiles as padding (and Zen 4 runs both at
            // the same FLOP rate).
            int nr = Vector512.IsHardwareAccelerated ? Nr512<T>() : Nr256<T>();
            if (nr > Nr256<T>() && ((n + nr - 1) / nr * nr - n) * 4 > n)
                nr = Nr256<T>();
            int threads = work < ParallelLimit ? 1 : Math.Max(1, MaxThreads);
            if (threads == 1)
            {
                Blocked(pa, aRowStride, aColStride, pb, bRowStride, bColStride, pc, cRowStride, m, n, k, accumulate, nr);
                return;
            }
            Threaded(pa, aRowStride, aColStride, pb, bRowStride, bColStride, pc, cRowStride, m, n, k, accumulate, nr, threads);
        }
    }

    /// <summary>
    /// Splits C into bands of whole tiles along its longer side; each thread runs the whole blocked algorithm
    /// on its band with its own packing buffers, so the threads never wait on each other. Each packs all of
    /// the shared operand: measured on Zen 4, that costs less than packing it once cooperatively and then
    /// reading the other core's half across cores (256-512: ~5 % faster; 1024 up: the same).
    /// The bands run on a persistent thread team whose polling worker picks a job up at once, without
    /// Parallel.For's dispatch; if another multiply holds the team, they run on the thread pool. Each band is
    /// claimed by whichever member is free, so when the worker is slow to wake (asleep after a pause, or
    /// descheduled on a busy machine) the caller runs both bands instead of waiting for it.
    /// </summary>
    private static void Threaded<T>(T* a, nint ars, nint acs, T* b, nint brs, nint bcs, T* c, nint ldc,
                                    int m, int n, int k, bool accumulate, int nr, int threads) where T : unmanaged, INumber<T>
    {
        bool byRows = m >= n;
        int tiles = byRows ? (m + MR - 1) / MR : (n + nr - 1) / nr;
        var team = WorkerTeam.TryAcquire();
        int parts = Math.Min(Math.Min(threads, tiles), team?.Size ?? threads);
        nint ia = (nint)a, ib = (nint)b, ic = (nint)c;
        Action<int> body = t => Band((T*)ia, ars, acs, (T*)ib, brs, bcs, (T*)ic, ldc, m, n, k, accumulate, nr, byRows, t, parts);
        if (team is null)
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, body);
            return;
        }
        try
        {
            if (parts > 1)
                team.RunChunks(parts, parts, body);
            else
                body(0);
        }
        finally
        {
            team.Release();
        }
    }

    /// <summary>Part <paramref name="t"/> of <paramref name="parts"/>: the whole blocked algorithm on a band of whole tiles.</summary>
    private static void Band<T>(T* a, nint ars, nint acs, T* b, nint brs, nint bcs, T* c, nint ldc,
                                int m, int n, int k, bool accumulate, int nr, bool byRows, int t, int parts) where T : unmanaged, INumber<T>
    {
        if (byRows)
        {
            var (r0, r1) = Share(m, MR, t, parts);
            Blocked(a + r0 * ars, ars, acs, b, brs, bcs, c + r0 * ldc, ldc, r1 - r0, n, k, accumulate, nr);
        }
        else
        {
            var (j0, j1) = Share(n, nr, t, parts);
            Blocked(a, ars, acs, b + j0 * bcs, brs, bcs, c + j0, ldc, m, j1 - j0, k, accumulate, nr);
        }
    }

    /// <summary>Part <paramref name="t"/> of <paramref name="parts"/> of [0, extent), split at whole multiples of <paramref name="unit"/>.</summary>
    private static (int Start, int End) Share(int extent, int unit, int t, int parts)
    {
        int units = (extent + unit - 1) / unit;
        int start = (int)((long)units * t / parts) * unit, end = (int)((long)units * (t + 1) / parts) * unit;
        return (Math.Min(extent, start), Math.Min(extent, end));
    }

    private static void CheckExtent(int length, int rows, int rowStride, int cols, int colStride, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowStride, name + "RowStride");
        ArgumentOutOfRangeException.ThrowIfNegative(colStride, name + "ColStride");
        if (rows == 0 || cols == 0)
            return;
        long last = (long)(rows - 1) * rowStride + (long)(cols - 1) * colStride;
        if (last >= length)
            throw new ArgumentException($"Gemm: operand {name} ({rows} x {cols}, strides {rowStride}, {colStride}) needs {last + 1} elements but has {length}.", name);
    }

    /// <summary>Plain loops for small products, where packing would cost more than it saves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Direct<T>(T* a, nint ars, nint acs, T* b, nint brs, nint bcs, T* c, nint ldc,
                                  int m, int n, int k, bool accumulate) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * ldc, n);
            if (!accumulate)
                row.Clear();
            for (int p = 0; p < k; p++)
            {
                T x = a[i * ars + p * acs];
                T* bp = b + p * brs;
                if (bcs == 1)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(bp, n), x, row, row);
                else
                    for (int j = 0; j < n; j++)
                        row[j] += x * bp[j * bcs];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<T>(T* a, nint ars, nint acs, T* b, nint brs, nint bcs, T* c, nint ldc,
                                   int m, int n, int k, bool accumulate, int nr) where T : unmanaged, INumber<T>
    {
        var (kcMax, ncMax) = BlockSizes<T>(n, k, nr);
        int mcMax = Balanced(m, McRows, MR);
        T* packA = Buffers<T>.Get(ref Buffers<T>.A, mcMax * kcMax);
        T* packB = Buffers<T>.Get(ref Buffers<T>.B, ncMax * kcMax);
        T* edge = stackalloc T[MR * 64];

        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                GemmPacking.PackB(b + pc * brs + jc * bcs, brs, bcs, kc, nc, nr, packB);
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    GemmPacking.PackA(a + ic * ars + pc * acs, ars, acs, mc, kc, packA);
                    Macro(packA, packB, c + ic * ldc + jc, ldc, mc, nc, kc, nr, pc == 0 && !accumulate, edge);
                }
            }
        }
    }

    /// <summary>
    /// Depth and width of the B blocks. Blocks of equal size rather than full blocks and a sliver: k = 784
    /// runs as 2 × 392, not 384 + 384 + 16. The k split depends only on k, so each element's order of
    /// additions is fixed by the problem, never by the thread count or the split of C.
    /// </summary>
    private static (int Kc, int Nc) BlockSizes<T>(int n, int k, int nr) where T : unmanaged
        => (Balanced(k, KcBytes / sizeof(T), 8), Balanced(n, Math.Max(nr, NcBytes / sizeof(T) / nr * nr), nr));

    /// <summary>C[0..mc, 0..nc] (+)= packed A block * packed B block, one MR x nr tile at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Macro<T>(T* packA, T* packB, T* c, nint ldc, int mc, int nc, int kc, int nr,
                                 bool overwrite, T* edge) where T : unmanaged, INumber<T>
    {
        bool wide = nr == Nr512<T>();
        for (int ir = 0; ir < mc; ir += MR)
        {
            int mr = Math.Min(MR, mc - ir);
            T* pa = packA + ir * kc;
            for (int jr = 0; jr < nc; jr += nr)
            {
                int w = Math.Min(nr, nc - jr);
                T* pb = packB + jr * kc;
                T* ct = c + ir * ldc + jr;
                if (mr == MR && w == nr)
                {
                    Kernel(wide, kc, pa, pb, ct, ldc, overwrite);
                    continue;
                }
                // Ragged tile: compute the full tile aside, then add only the part inside C.
                // C + tile rounds exactly as the in-register add of a full tile does.
                Kernel(wide, kc, pa, pb, edge, nr, true);
                for (int i = 0; i < mr; i++)
                    for (int j = 0; j < w; j++)
                        ct[i * ldc + j] = overwrite ? edge[i * nr + j] : ct[i * ldc + j] + edge[i * nr + j];
            }
        }
    }

    /// <summary>
    /// A block size near <paramref name="target"/>, rounded up to <paramref name="align"/>, that splits
    /// <paramref name="extent"/> into equal blocks: the block count is extent / target rounded to the nearest
    /// whole number, so blocks stay within ±50 % of the target and a thin last block never happens.
    /// </summary>
    private static int Balanced(int extent, int target, int align)
    {
        int blocks = Math.Max(1, (int)Math.Round((double)extent / target));
        int size = (extent + blocks - 1) / blocks;
        return (size + align - 1) / align * align;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel<T>(bool wide, int kc, T* a, T* b, T* c, nint ldc, bool overwrite) where T : unmanaged
    {
        if (wide)
            Kernel512(kc, ref *a, ref *b, ref *c, ldc, overwrite);
        else
            Kernel256(kc, ref *a, ref *b, ref *c, ldc, overwrite);
    }

    /// <summary>Per-thread packing buffers, 64-byte aligned so packed panels never straddle cache lines.</summary>
    private static class Buffers<T> where T : unmanaged
    {
        [ThreadStatic] public static T[]? A;
        [ThreadStatic] public static T[]? B;

        // Pinned arrays never move, so the aligned pointer stays valid for the thread's lifetime and the
        // GC frees the buffer when the thread ends.
        public static T* Get(ref T[]? buffer, int length)
        {
            int pad = 64 / sizeof(T);
            if (buffer is null || buffer.Length < length + pad)
                buffer = GC.AllocateUninitializedArray<T>(length + pad, pinned: true);
            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
            return (T*)((p + 63) & ~(nint)63);
        }
    }
}
