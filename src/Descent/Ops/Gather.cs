namespace Descent;

// Gather along an axis and its gradient, scatter-add; one-hot encoding.
public partial class Tensor
{
    /// <summary>Picks entries along <paramref name="axis"/> at the int32/int64 <paramref name="indices"/>: shape x[:axis] + indices + x[axis+1:].</summary>
    public Tensor Gather(Tensor indices, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(indices);
        axis = ShapeUtil.NormalizeAxis("Gather", axis, Rank);
        CheckIndices("Gather", indices, Dims[axis]);
        int[] shape = [.. Dims[..axis], .. indices.Dims, .. Dims[(axis + 1)..]];
        var y = Empty(shape, DType, Backend);
        Backend.Gather(Storage, Layout, axis, indices.Storage, indices.Layout, y.Storage);
        return GradientTape.Record(y, this, (g, _) => ScatterAdd(g, indices, axis, Dims));
    }

    /// <summary>Same as <see cref="Gather"/>, under NumPy's name.</summary>
    public Tensor Take(Tensor indices, int axis = 0) => Gather(indices, axis);

    /// <summary>Zeros of <paramref name="shape"/> with <paramref name="updates"/> added at <paramref name="indices"/> along <paramref name="axis"/>: the adjoint of Gather.</summary>
    public static Tensor ScatterAdd(Tensor updates, Tensor indices, int axis, int[] shape)
    {
        updates.CheckFloat("ScatterAdd");
        axis = ShapeUtil.NormalizeAxis("ScatterAdd", axis, shape.Length);
        CheckIndices("ScatterAdd", indices, shape[axis]);
        int[] expected = [.. shape[..axis], .. indices.Dims, .. shape[(axis + 1)..]];
        if (!ShapeUtil.SameShape(expected, updates.Dims))
            throw new ArgumentException($"ScatterAdd: updates have shape {ShapeUtil.Format(updates.Dims)}, expected {ShapeUtil.Format(expected)}.");
        var y = Empty((int[])shape.Clone(), updates.DType, updates.Backend, zeroed: true);
        updates.Backend.ScatterAdd(updates.Storage, updates.Layout, axis, indices.Storage, indices.Layout, y.Storage, shape);
        return GradientTape.Record(y, updates, (g, _) => g.Gather(indices, axis));
    }

    private static void CheckIndices(string op, Tensor indices, int dim)
    {
        if (!indices.DType.IsInteger())
            throw new ArgumentException($"{op}: indices must be int32 or int64, got {indices.DType.Name()}.");
        if (indices.Size == 0) return;
        // Two reductions instead of copying every index out: the backend converts them once, after this check.
        long lowest = indices.Min().Item<long>(), highest = indices.Max().Item<long>();
        if (lowest < 0 || highest >= dim)
            throw new ArgumentOutOfRangeException(nameof(indices), $"{op}: index {(lowest < 0 ? lowest : highest)} is out of range [0, {dim}).");
    }

    /// <summary>One-hot rows: shape indices + [depth]; out-of-range indices give all-off rows, as in TensorFlow.</summary>
    public static Tensor OneHot(Tensor indices, int depth, double onValue = 1, double offValue = 0, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (!indices.DType.IsInteger())
            throw new ArgumentException($"OneHot: indices must be int32 or int64, got {indices.DType.Name()}.");
        if (depth < 0) throw new ArgumentException($"OneHot: depth must be non-negative, got {depth}.");
        var idx = indices.ToArray<long>();
        var values = new double[idx.Length * depth];
        Array.Fill(values, offValue);
        for (int i = 0; i < idx.Length; i++)
            if (idx[i] >= 0 && idx[i] < depth) values[i * depth + idx[i]] = onValue;
        return FromArray(values, [.. indices.Dims, depth]).CastRaw(dtype);
    }
}
