using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MatMul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        int r = aLayout.Rank;
        int m = aLayout.Dims[r - 2], k = aLayout.Dims[r - 1], n = bLayout.Dims[r - 1];
        int batch = 1;
        for (int i = 0; i < r - 2; i++) batch *= aLayout.Dims[i];
        int aRow = aLayout.StrideArray[r - 2], aCol = aLayout.StrideArray[r - 1];
        int bRow = bLayout.StrideArray[r - 2], bCol = bLayout.StrideArray[r - 1];
        for (int t = 0; t < batch; t++)
        {
            int oa = aLayout.Offset, ob = bLayout.Offset, rest = t;
            for (int axis = r - 3; axis >= 0; axis--)
            {
                int i = rest % aLayout.Dims[axis];
                rest /= aLayout.Dims[axis];
                oa += i * aLayout.StrideArray[axis];
                ob += i * bLayout.StrideArray[axis];
            }
            int oy = t * m * n;
            switch (y.DType)
            {
                case DType.Float32:
                    Gemm.Multiply(Cpu(a).Array<float>().AsSpan(oa), aRow, aCol, Cpu(b).Array<float>().AsSpan(ob), bRow, bCol,
                        Cpu(y).Array<float>().AsSpan(oy, m * n), n, m, n, k);
                    break;
                case DType.Float64:
                    Gemm.Multiply(Cpu(a).Array<double>().AsSpan(oa), aRow, aCol, Cpu(b).Array<double>().AsSpan(ob), bRow, bCol,
                        Cpu(y).Array<double>().AsSpan(oy, m * n), n, m, n, k);
                    break;
                default: throw new ArgumentException($"MatMul: not defined for {y.DType.Name()} tensors; cast to a float dtype first.");
            }
        }
    }
}
