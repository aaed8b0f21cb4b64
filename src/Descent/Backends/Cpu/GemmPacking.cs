using System.Runtime.CompilerServices;
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
            if (mr == MR)
            {
                for (int p = 0; p < kc; p++)
                {
                    T* s = src + p * cs;
                    T* d = dst + p * MR;
                    d[0] = s[0]; d[1] = s[rs]; d[2] = s[2 * rs]; d[3] = s[3 * rs]; d[4] = s[4 * rs]; d[5] = s[5 * rs];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                    for (int i = 0; i < MR; i++)
                        dst[p * MR + i] = i < mr ? src[i * rs + p * cs] : default;
            }
        }
    }

    /// <summary>Packs B[0..kc, 0..nc] into nr-column panels: panel j holds nr consecutive values per p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(T* b, nint rs, nint cs, int kc, int nc, int nr, T* dst) where T : unmanaged
    {
        for (int jr = 0; jr < nc; jr += nr, dst += nr * kc)
        {
            T* src = b + jr * cs;
            int w = Math.Min(nr, nc - jr);
            if (cs == 1 && w == nr)
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
