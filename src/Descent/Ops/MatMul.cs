namespace Descent;

// Matrix products: 2-D, batched with NumPy broadcasting of the batch axes, 1-D operands promoted as NumPy does.
public partial class Tensor
{
    /// <summary>
    /// The matrix product of the last two axes, with the batch axes broadcast. A 1-D operand is treated as a
    /// row (left) or column (right) vector and that axis is dropped from the result, as in NumPy's matmul.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank == 0 || b.Rank == 0)
            throw new ArgumentException($"MatMul: operands must have at least one axis, got {ShapeUtil.Format(a.Dims)} @ {ShapeUtil.Format(b.Dims)}.");
        a.CheckSameDType("MatMul", b);
        bool vectorA = a.Rank == 1, vectorB = b.Rank == 1;
        var left = vectorA ? a.Reshape(1, a.Dims[0]) : transposeA ? a.SwapLastAxes() : a;
        var right = vectorB ? b.Reshape(b.Dims[0], 1) : transposeB ? b.SwapLastAxes() : b;
        var y = MatMulBroadcast(left, right);
        if (vectorA) y = y.Squeeze(-2);
        if (vectorB) y = y.Squeeze(-1);
        return y;
    }

    /// <summary>this @ other.</summary>
    public Tensor MatMul(Tensor other, bool transposeA = false, bool transposeB = false) => MatMul(this, other, transposeA, transposeB);

    /// <summary>A view with the last two axes swapped (the matrix transpose of each batch entry).</summary>
    public Tensor SwapLastAxes()
    {
        if (Rank < 2) throw new ArgumentException($"SwapLastAxes: needs at least two axes, got {ShapeUtil.Format(Dims)}.");
        var perm = new int[Rank];
        for (int i = 0; i < Rank; i++) perm[i] = i;
        (perm[^1], perm[^2]) = (perm[^2], perm[^1]);
        return Transpose(perm);
    }

    private static Tensor MatMulBroadcast(Tensor a, Tensor b)
    {
        int m = a.Dims[^2], k = a.Dims[^1], k2 = b.Dims[^2], n = b.Dims[^1];
        if (k != k2)
            throw new ArgumentException($"MatMul: inner dimensions differ: {ShapeUtil.Format(a.Dims)} @ {ShapeUtil.Format(b.Dims)}.");
        if (!a.DType.IsFloat())
            throw new ArgumentException($"MatMul: expects float32 or float64 operands, got {a.DType.Name()}.");
        a.CheckSameDevice("MatMul", b);
        var batch = ShapeUtil.Broadcast("MatMul", a.Dims[..^2], b.Dims[..^2]);
        int[] aShape = [.. batch, m, k], bShape = [.. batch, k, n], yShape = [.. batch, m, n];
        var y = Empty(yShape, a.DType, a.Backend);
        a.Backend.MatMul(a.Storage, a.Layout.BroadcastTo(aShape), b.Storage, b.Layout.BroadcastTo(bShape), y.Storage);
        return GradientTape.Record(y, a, b, (g, i) => i == 0
            ? SumTo(MatMulBroadcast(g, b.SwapLastAxes()), a.Dims)
            : SumTo(MatMulBroadcast(a.SwapLastAxes(), g), b.Dims));
    }
}
