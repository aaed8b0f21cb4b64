using System.Numerics;
using Descent.Cuda.Backend;

namespace Descent.Cuda.Emulation;

/// <summary>
/// cuBLAS's strided-batched GEMM on the host, for the emulated GPU: column-major, C = op(A)·op(B) for each batch, with
/// float32 accumulated in float32 by fused multiply-adds as cuBLAS's kernels accumulate (in some order of their own).
/// </summary>
internal static unsafe class HostGemm
{
    /// <summary>The address and byte length each operand spans over all batches, for bounds checks.</summary>
    public static IEnumerable<(ulong Pointer, long Bytes)> Extents(GemmCall c)
    {
        int size = c.DType == DType.Float32 ? 4 : 8;
        (int rowsA, int colsA) = c.TransposeA ? (c.K, c.M) : (c.M, c.K);
        (int rowsB, int colsB) = c.TransposeB ? (c.N, c.K) : (c.K, c.N);
        yield return (c.A, Span(c.StrideA, c.Batch, c.Lda, rowsA, colsA) * size);
        yield return (c.B, Span(c.StrideB, c.Batch, c.Ldb, rowsB, colsB) * size);
        yield return (c.C, Span(c.StrideC, c.Batch, c.Ldc, c.M, c.N) * size);
    }

    private static long Span(long stride, int batch, int ld, int rows, int cols) =>
        rows == 0 || cols == 0 || batch == 0 ? 0 : stride * (batch - 1) + (long)ld * (cols - 1) + rows;

    public static void Run(GemmCall c)
    {
        if (c.DType == DType.Float32) Run<float>(c);
        else Run<double>(c);
    }

    private static void Run<T>(GemmCall c) where T : unmanaged, IFloatingPointIeee754<T> =>
        Parallel.For(0, (long)c.Batch * c.N, job =>
        {
            long batch = job / c.N;
            int j = (int)(job % c.N);
            T* a = (T*)c.A + batch * c.StrideA, b = (T*)c.B + batch * c.StrideB, result = (T*)c.C + batch * c.StrideC;
            for (int i = 0; i < c.M; i++)
            {
                T acc = T.Zero;
                for (int k = 0; k < c.K; k++)
                {
                    T x = c.TransposeA ? a[k + (long)i * c.Lda] : a[i + (long)k * c.Lda];
                    T y = c.TransposeB ? b[j + (long)k * c.Ldb] : b[k + (long)j * c.Ldb];
                    acc = T.FusedMultiplyAdd(x, y, acc);
                }
                result[i + (long)j * c.Ldc] = acc;
            }
        });
}
