using System.Numerics;
using System.Numerics.Tensors;

namespace Descent.Backends.Cpu;

/// <summary>Placeholder row-times-panel product until the packed kernel lands.</summary>
internal static class Gemm
{
    public static void Multiply(ReadOnlySpan<float> a, int aRowStride, int aColStride, ReadOnlySpan<float> b, int bRowStride, int bColStride,
        Span<float> c, int cRowStride, int m, int n, int k, bool accumulate = false) =>
        Naive(a, aRowStride, aColStride, b, bRowStride, bColStride, c, cRowStride, m, n, k, accumulate);

    public static void Multiply(ReadOnlySpan<double> a, int aRowStride, int aColStride, ReadOnlySpan<double> b, int bRowStride, int bColStride,
        Span<double> c, int cRowStride, int m, int n, int k, bool accumulate = false) =>
        Naive(a, aRowStride, aColStride, b, bRowStride, bColStride, c, cRowStride, m, n, k, accumulate);

    private static void Naive<T>(ReadOnlySpan<T> a, int ars, int acs, ReadOnlySpan<T> b, int brs, int bcs, Span<T> c, int crs, int m, int n, int k, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        var row = new T[n];
        for (int i = 0; i < m; i++)
        {
            var ci = c.Slice(i * crs, n);
            if (!accumulate) ci.Clear();
            for (int p = 0; p < k; p++)
            {
                T av = a[i * ars + p * acs];
                if (bcs == 1) TensorPrimitives.MultiplyAdd(b.Slice(p * brs, n), av, ci, ci);
                else
                {
                    for (int j = 0; j < n; j++) row[j] = b[p * brs + j * bcs];
                    TensorPrimitives.MultiplyAdd(row, av, ci, ci);
                }
            }
        }
    }
}
