namespace Descent;

// Gather along an axis and its gradient, scatter-add; one-hot encoding.
public partial class Tensor
{
    /// <summary>Picks entries along <paramref name="axis"/> at the int32/int64 <paramref name="indices"/>: shape x[:axis] + indices + x[axis+1:].</summary>
    public Tensor Gather(Tensor indices, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(indices);
        axis = ShapeUtil.NormalizeAxis("Gather", axis, Rank);
        CheckSameDevice("Gather", indices);
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
        updates.CheckSameDevice("ScatterAdd", indices);
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
        CheckRange(indices, dim, (lowest, highest) =>
            new ArgumentOutOfRangeException(nameof(indices), $"{op}: index {(lowest < 0 ? lowest : highest)} is out of range [0, {dim})."));
    }

    /// <summary>
    /// Checks that every integer in <paramref name="indices"/> lies in [0, <paramref name="dim"/>): one reduction on
    /// the device, never a check inside a kernel (a GPU kernel cannot throw). The backend verifies the flag;
    /// only a failure reads the extremes back, for the message.
    /// </summary>
    internal static void CheckRange(Tensor indices, int dim, Func<long, long, Exception> failure)
    {
        if (indices.Size == 0) return;
        Tensor lowest = indices.Min(), highest = indices.Max();
        var ok = LogicalAnd(GreaterEqual(lowest, indices.Like(0)), Less(highest, indices.Like(dim)));
        indices.Backend.Verify(ok.Storage, () => failure(lowest.Item<long>(), highest.Item<long>()));
    }

    /// <summary>One-hot rows: shape indices + [depth]; out-of-range indices give all-off rows, as in TensorFlow.</summary>
    public static Tensor OneHot(Tensor indices, int depth, double onValue = 1, double offValue = 0, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (!indices.DType.IsInteger())
            throw new ArgumentException($"OneHot: indices must be int32 or int64, got {indices.DType.Name()}.");
        if (depth < 0) throw new ArgumentException($"OneHot: depth must be non-negative, got {depth}.");
        // Computed where the indices live: compare each index with 0..depth-1, so an out-of-range one matches nothing.
        var hit = Equal(indices.Unsqueeze(-1), Arange(depth, indices.DType, indices.Device));
        var device = indices.Device;
        return Where(hit, Full([], onValue, dtype, device), Full([], offValue, dtype, device));
    }
}
