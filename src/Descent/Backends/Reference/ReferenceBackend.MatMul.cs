namespace Descent.Backends.Reference;

internal sealed partial class ReferenceBackend
{
    public void MatMul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        var (left, right, output) = (Own(a, "MatMul"), Own(b, "MatMul"), Own(y, "MatMul"));
        Expect("MatMul", y.DType, a, b);
        if (!y.DType.IsFloat()) throw new ArgumentException($"MatMul: not defined for {y.DType.Name()} tensors; cast to a float dtype first.");
        int r = aLayout.Rank, m = aLayout.Dims[r - 2], k = aLayout.Dims[r - 1], n = bLayout.Dims[r - 1];
        int[] shape = [.. aLayout.Dims[..^2], m, n];
        // Output [..., i, j] reads row i of a and column j of b: a's row seen with y's shape (stride 0 along j)
        // and b's column seen with y's shape (stride 0 along i) give where each starts.
        var rows = new Layout(shape, [.. aLayout.StrideArray[..^1], 0], aLayout.Offset);
        var columns = new Layout(shape, [.. bLayout.StrideArray[..^2], 0, bLayout.StrideArray[^1]], bLayout.Offset);
        int aStep = aLayout.StrideArray[^1], bStep = bLayout.StrideArray[^2];
        for (int i = 0; i < rows.Size; i++)
        {
            int row = At(rows, i), column = At(columns, i);
            double dot = 0; // float32 products are exact in double; the sum is rounded once, by the store
            for (int p = 0; p < k; p++) dot += left.Real(row + p * aStep) * right.Real(column + p * bStep);
            output.SetReal(i, dot);
        }
    }
}
