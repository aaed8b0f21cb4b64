using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Descent.Backends.Cpu.GemmMicroKernel;

namespace Descent.Backends.Cpu;

/// <summary>
/// Copies blocks of A and B into the order the micro-kernel reads them, zero-padding the ragged last
/// panel. Packing reads any strides, so transposed and broadcast operands cost no more than plain ones.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs A[0..mc, 0..kc] into MR-row panels: panel i holds MR consecutive values per p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(T* a, nint rs, nint cs, int mc, int kc, T* dst) where T : unmanaged
    {
        for (int ir = 0; ir < mc; ir += MR, dst += MR * kc)
        {
            T* src = a + ir * rs;
            int mr = Math.Min(MR, mc - ir);
            if (mr < MR)
            {
                for (int p = 0; p < kc; p++)
                    for (int i = 0; i < MR; i++)
                        dst[p * MR + i] = i < mr ? src[i * rs + p * cs] : default;
                continue;
            }
            int p0 = 0;
            if (cs == 1 && Avx512F.IsSupported)
                p0 = PackRows6(src, rs, kc, dst);
            else if (rs == 1)
            {
                // Transposed A: the MR values of each p are contiguous already.
                for (; p0 < kc; p0++)
                    Unsafe.CopyBlockUnaligned(dst + p0 * MR, src + p0 * cs, (uint)(MR * sizeof(T)));
            }
            for (int p = p0; p < kc; p++)
            {
                T* s = src + p * cs;
                T* d = dst + p * MR;
                d[0] = s[0]; d[1] = s[rs]; d[2] = s[2 * rs]; d[3] = s[3 * rs]; d[4] = s[4 * rs]; d[5] = s[5 * rs];
            }
        }
    }

    /// <summary>
    /// Packs six contiguous rows a vector of p at a time (L = 16 floats or 8 doubles): the six row vectors are
    /// interleaved in registers into the p-major order of the panel, so each element is loaded and stored
    /// once as part of a vector instead of one by one. Returns how many p it packed (a multiple of L).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackRows6<T>(T* src, nint rs, int kc, T* dst) where T : unmanaged
    {
        int lanes = Vector512<T>.Count;
        var pairLo = Interleave.PairLo<T>();
        var pairHi = Interleave.PairHi<T>();
        var take01 = Interleave.Take01<T>();
        var take2 = Interleave.Take2<T>();
        int p = 0;
        for (; p + lanes <= kc; p += lanes)
        {
            T* s = src + p;
            var r0 = Vector512.Load(s);
            var r1 = Vector512.Load(s + rs);
            var r2 = Vector512.Load(s + 2 * rs);
            var r3 = Vector512.Load(s + 3 * rs);
            var r4 = Vector512.Load(s + 4 * rs);
            var r5 = Vector512.Load(s + 5 * rs);
            // Pairs of rows interleaved: (r0[q], r1[q]) for q in the low, then the high half of the lanes.
            var a0 = Interleave.Permute(r0, pairLo, r1);
            var a1 = Interleave.Permute(r2, pairLo, r3);
            var a2 = Interleave.Permute(r4, pairLo, r5);
            var b0 = Interleave.Permute(r0, pairHi, r1);
            var b1 = Interleave.Permute(r2, pairHi, r3);
            var b2 = Interleave.Permute(r4, pairHi, r5);
            // The first three output vectors hold the low half of the p, the last three the high half.
            T* d = dst + p * MR;
            Store3(a0, a1, a2, take01, take2, d, lanes);
            Store3(b0, b1, b2, take01, take2, d + 3 * lanes, lanes);
        }
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store3<T>(Vector512<T> x01, Vector512<T> x23, Vector512<T> x45,
                                  (Vector512<T>, Vector512<T>, Vector512<T>) take01,
                                  (Vector512<T>, Vector512<T>, Vector512<T>) take2, T* d, int lanes) where T : unmanaged
    {
        Interleave.Permute(Interleave.Permute(x01, take01.Item1, x23), take2.Item1, x45).Store(d);
        Interleave.Permute(Interleave.Permute(x01, take01.Item2, x23), take2.Item2, x45).Store(d + lanes);
        Interleave.Permute(Interleave.Permute(x01, take01.Item3, x23), take2.Item3, x45).Store(d + 2 * lanes);
    }

    /// <summary>Packs B[0..kc, 0..nc] into nr-column panels: panel j holds nr consecutive values per p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(T* b, nint rs, nint cs, int kc, int nc, int nr, T* dst) where T : unmanaged
    {
        for (int jr = 0; jr < nc; jr += nr, dst += nr * kc)
        {
            T* src = b + jr * cs;
            int w = Math.Min(nr, nc - jr);
            if (cs == 1 && w == nr && nr * sizeof(T) == 4 * 64)
            {
                // The wide kernel's rows are four 64-byte vectors; copying them inline beats a memmove call per row.
                for (int p = 0; p < kc; p++)
                {
                    byte* s = (byte*)(src + p * rs), d = (byte*)(dst + p * nr);
                    Vector512.Store(Vector512.Load(s), d);
                    Vector512.Store(Vector512.Load(s + 64), d + 64);
                    Vector512.Store(Vector512.Load(s + 128), d + 128);
                    Vector512.Store(Vector512.Load(s + 192), d + 192);
                }
            }
            else if (cs == 1 && w == nr)
            {
                for (int p = 0; p < kc; p++)
                    new ReadOnlySpan<T>(src + p * rs, nr).CopyTo(new Span<T>(dst + p * nr, nr));
            }
            else if (rs <= cs)
            {
                // Column-contiguous (transposed) B: walk each column down so the reads stay sequential.
                for (int j = 0; j < nr; j++)
                    for (int p = 0; p < kc; p++)
                        dst[p * nr + j] = j < w ? src[j * cs + p * rs] : default;
            }
            else
            {
                for (int p = 0; p < kc; p++)
                    for (int j = 0; j < nr; j++)
                        dst[p * nr + j] = j < w ? src[j * cs + p * rs] : default;
            }
        }
    }
}

/// <summary>
/// Two-source lane permutes (vpermt2ps / vpermt2pd) and their index vectors for packing six rows of A into
/// p-major order: first rows are interleaved in pairs, then each output vector gathers its lanes from the
/// three pair vectors. The indices are computed from the target layout, for 16 float or 8 double lanes.
/// </summary>
internal static class Interleave
{
    private static readonly Indices<int> Float = new(16);
    private static readonly Indices<long> Double = new(8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Permute<T>(Vector512<T> first, Vector512<T> index, Vector512<T> second)
    {
        if (typeof(T) == typeof(float))
            return Avx512F.PermuteVar16x32x2(first.AsSingle(), index.AsInt32(), second.AsSingle()).As<float, T>();
        return Avx512F.PermuteVar8x64x2(first.AsDouble(), index.AsInt64(), second.AsDouble()).As<double, T>();
    }

    public static Vector512<T> PairLo<T>() => Pick<T>(Float.PairLo, Double.PairLo);
    public static Vector512<T> PairHi<T>() => Pick<T>(Float.PairHi, Double.PairHi);
    public static (Vector512<T>, Vector512<T>, Vector512<T>) Take01<T>()
        => (Pick<T>(Float.Take01[0], Double.Take01[0]), Pick<T>(Float.Take01[1], Double.Take01[1]), Pick<T>(Float.Take01[2], Double.Take01[2]));
    public static (Vector512<T>, Vector512<T>, Vector512<T>) Take2<T>()
        => (Pick<T>(Float.Take2[0], Double.Take2[0]), Pick<T>(Float.Take2[1], Double.Take2[1]), Pick<T>(Float.Take2[2], Double.Take2[2]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Pick<T>(Vector512<int> f, Vector512<long> d)
        => typeof(T) == typeof(float) ? f.As<int, T>() : d.As<long, T>();

    private sealed class Indices<TIndex> where TIndex : unmanaged, System.Numerics.INumber<TIndex>
    {
        public readonly Vector512<TIndex> PairLo, PairHi;
        public readonly Vector512<TIndex>[] Take01 = new Vector512<TIndex>[3], Take2 = new Vector512<TIndex>[3];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Indices(int lanes)
        {
            // Pair vector lane l holds (p = l / 2, row = l % 2) of its pair of rows; the second source's lanes
            // are numbered from `lanes` on.
            PairLo = Make(lanes, l => l / 2 + (l % 2) * lanes);
            PairHi = Make(lanes, l => lanes / 2 + l / 2 + (l % 2) * lanes);
            for (int j = 0; j < 3; j++)
            {
                // Output lane e of vector j is element g = j * lanes + e of the p-major half: p = g / 6, row = g % 6.
                int jj = j;
                Take01[j] = Make(lanes, e => Source(jj * lanes + e, out int lane) switch { 0 => lane, 1 => lanes + lane, _ => 0 });
                Take2[j] = Make(lanes, e => Source(jj * lanes + e, out int lane) == 2 ? lanes + lane : e);
            }
        }

        /// <summary>Which pair vector holds element g of a half, and in which lane.</summary>
        private static int Source(int g, out int lane)
        {
            int p = g / MR, row = g % MR;
            lane = 2 * p + row % 2;
            return row / 2;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static Vector512<TIndex> Make(int lanes, Func<int, int> index)
        {
            var values = new TIndex[lanes];
            for (int l = 0; l < lanes; l++)
                values[l] = TIndex.CreateChecked(index(l));
            return Vector512.Create(values);
        }
    }
}
