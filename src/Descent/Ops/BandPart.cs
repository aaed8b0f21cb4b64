namespace Descent;

// Triangles and bands of the last two axes: a Where against a mask built from row and column numbers, so the gradient
// (the same mask applied to the incoming gradient) comes from Where.
public partial class Tensor
{
    /// <summary>
    /// TensorFlow's band_part on the last two axes: keeps element [i, j] when i − j ≤ <paramref name="numLower"/> and
    /// j − i ≤ <paramref name="numUpper"/> (a negative bound keeps that whole triangle) and sets the rest to zero.
    /// <c>BandPart(-1, 0)</c> is the lower triangle, <c>BandPart(0, 0)</c> the diagonal.
    /// </summary>
    public Tensor BandPart(int numLower, int numUpper) =>
        KeepWhere("BandPart", offset => LogicalAnd(
            numLower < 0 ? Full([], 1, DType.Bool, Device) : GreaterEqual(offset, offset.Like(-numLower)),
            numUpper < 0 ? Full([], 1, DType.Bool, Device) : LessEqual(offset, offset.Like(numUpper))));

    /// <summary>The lower triangle of the last two axes (NumPy's and PyTorch's tril): keeps [i, j] when j − i ≤ <paramref name="diagonal"/>.</summary>
    public Tensor Tril(int diagonal = 0) => KeepWhere("Tril", offset => LessEqual(offset, offset.Like(diagonal)));

    /// <summary>The upper triangle of the last two axes (NumPy's and PyTorch's triu): keeps [i, j] when j − i ≥ <paramref name="diagonal"/>.</summary>
    public Tensor Triu(int diagonal = 0) => KeepWhere("Triu", offset => GreaterEqual(offset, offset.Like(diagonal)));

    // keep receives j − i for every [i, j] of the last two axes (int32 [rows, columns]) and answers which to keep.
    private Tensor KeepWhere(string name, Func<Tensor, Tensor> keep)
    {
        if (Rank < 2) throw new ArgumentException($"{name}: needs at least two axes, got {ShapeUtil.Format(Dims)}.");
        int rows = Dims[^2], columns = Dims[^1];
        var offset = Arange(columns, DType.Int32, Device).Reshape(1, columns) - Arange(rows, DType.Int32, Device).Reshape(rows, 1);
        return Where(keep(offset), this, Like(0));
    }
}
