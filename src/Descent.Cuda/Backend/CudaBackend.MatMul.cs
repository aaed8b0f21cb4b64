using Descent.Backends;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

// Batched matrix products through cuBLAS.
internal sealed partial class CudaBackend
{
    /// <summary>
    /// Row-major C = A·B through column-major cuBLAS: a row-major matrix read column-major is its transpose, so the
    /// call computes Cᵀ = Bᵀ·Aᵀ, with B passed first. Each operand goes in as it lies: rows contiguous (no transpose
    /// flag) or columns contiguous (the transpose flag), with its own leading dimension, so transposed views cost no
    /// copy; anything else is copied contiguous first. The batch axes collapse to one stride per operand (0 for a
    /// broadcast one); batch shapes that do not collapse loop over their outer part.
    /// </summary>
    public void MatMul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        var (left, right, output) = (Own(a, "MatMul"), Own(b, "MatMul"), Own(y, "MatMul"));
        Expect("MatMul", y.DType, a, b);
        if (!y.DType.IsFloat()) throw new ArgumentException($"MatMul: not defined for {y.DType.Name()} tensors; cast to a float dtype first.");
        int r = aLayout.Rank, m = aLayout.Shape[r - 2], k = aLayout.Shape[r - 1], n = bLayout.Shape[r - 1];
        int[] batchShape = [.. aLayout.Shape.Take(r - 2)];
        int batch = batchShape.Aggregate(1, (p, d) => p * d);
        if (batch == 0 || m == 0 || n == 0) return;
        int size = CTypes.Size(y.DType);
        if (k == 0)
        {
            _gpu.Memset(output.Pointer, 0, (long)batch * m * n * size, "MatMul");
            return;
        }
        var (aData, aBase, aMatrix) = Operand(left, aLayout);
        var (bData, bBase, bMatrix) = Operand(right, bLayout);
        var batches = Strided.Collapse(batchShape,
            [aMatrix.BatchStrides, bMatrix.BatchStrides, ShapeStrides(batchShape, m * n)], [0, 0, 0]);
        var (aBatch, bBatch, yBatch) = (batches[0], batches[1], batches[2]);
        int inner = aBatch.Dims[^1], outer = batch / inner;
        for (int o = 0; o < outer; o++)
        {
            // The outer batch axes (when they did not collapse) are walked here; the innermost goes to cuBLAS.
            long aOffset = aBase + (inner == batch ? 0 : OuterOffset(aBatch, o));
            long bOffset = bBase + (inner == batch ? 0 : OuterOffset(bBatch, o));
            long yOffset = inner == batch ? 0 : OuterOffset(yBatch, o);
            _gpu.Gemm(new GemmCall(y.DType,
                TransposeA: bMatrix.ColumnMajor, TransposeB: aMatrix.ColumnMajor, M: n, N: m, K: k,
                A: bData.Pointer + (ulong)(bOffset * size), Lda: bMatrix.Leading, StrideA: bBatch.Strides[^1],
                B: aData.Pointer + (ulong)(aOffset * size), Ldb: aMatrix.Leading, StrideB: aBatch.Strides[^1],
                C: output.Pointer + (ulong)(yOffset * size), Ldc: n, StrideC: yBatch.Strides[^1],
                Batch: inner, Tf32: CudaSettings.AllowTf32 && y.DType == DType.Float32), "MatMul");
        }
        GC.KeepAlive(aData);
        GC.KeepAlive(bData);
        GC.KeepAlive(output);
    }

    /// <summary>
    /// How cuBLAS reads one operand's matrices: <see cref="ColumnMajor"/> when the columns are contiguous (a transposed
    /// view), with the leading dimension, and the batch axes' strides.
    /// </summary>
    private readonly record struct GemmMatrix(bool ColumnMajor, int Leading, int[] BatchStrides);

    /// <summary>The operand as cuBLAS can read it, with the offset of its first element: the storage itself when its matrices are row- or column-contiguous, else a packed copy.</summary>
    private (CudaStorage Data, int Offset, GemmMatrix Matrix) Operand(CudaStorage data, Layout layout)
    {
        int r = layout.Rank, rows = layout.Shape[r - 2], cols = layout.Shape[r - 1];
        int rowStride = layout.Strides[r - 2], colStride = layout.Strides[r - 1];
        int[] batchStrides = [.. layout.Strides.Take(r - 2)];
        // Rows contiguous: element (i, j) at i·ld + j, ld ≥ cols. A single row or column has a free stride.
        if ((cols == 1 || colStride == 1) && (rows == 1 || rowStride >= cols) && (rows == 1 || rowStride > 0))
            return (data, layout.Offset, new GemmMatrix(false, rows == 1 ? Math.Max(cols, 1) : rowStride, batchStrides));
        if ((rows == 1 || rowStride == 1) && (cols == 1 || colStride >= rows) && (cols == 1 || colStride > 0))
            return (data, layout.Offset, new GemmMatrix(true, cols == 1 ? Math.Max(rows, 1) : colStride, batchStrides));
        var packed = Scratch(data.DType, layout.Size);
        var contiguous = Layout.Contiguous([.. layout.Shape]);
        Copy(data, layout, packed, contiguous);
        return (packed, 0, new GemmMatrix(false, Math.Max(cols, 1), [.. contiguous.Strides.Take(r - 2)]));
    }

    private static int[] ShapeStrides(int[] shape, int unit)
    {
        var strides = new int[shape.Length];
        for (int i = shape.Length - 1, s = unit; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /// <summary>The offset of outer batch <paramref name="o"/>: every collapsed batch axis but the innermost.</summary>
    private static long OuterOffset(Strided batch, int o)
    {
        long offset = 0;
        for (int a = batch.Rank - 2; a >= 0; a--)
        {
            offset += (long)(o % batch.Dims[a]) * batch.Strides[a];
            o /= batch.Dims[a];
        }
        return offset;
    }
}
