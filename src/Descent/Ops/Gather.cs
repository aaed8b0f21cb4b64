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
        indices.CheckRange(dim, () =>
        {
            long lowest = indices.Min().Item<long>(), highest = indices.Max().Item<long>();
            return new ArgumentOutOfRangeException(nameof(indices), $"{op}: index {(lowest < 0 ? lowest : highest)} is out of range [0, {dim}).");
        });
    }

    /// <summary>
    /// Checks that every element of this integer tensor lies in [0, <paramref name="count"/>) and throws what
    /// <paramref name="failure"/> builds otherwise. The check is one reduction on the tensor's device, never a
    /// test inside a kernel (a GPU kernel cannot throw); only a failure reads values back, for its message.
    /// </summary>
    public Tensor CheckRange(int count, Func<Exception> failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (!DType.IsInteger()) throw new ArgumentException($"CheckRange: expects an int32 or int64 tensor, got {DType.Name()}.");
        if (Size == 0) return this;
        Assert(LogicalAnd(GreaterEqual(Min(), Like(0)), Less(Max(), Like(count))), failure);
        return this;
    }

    /// <summary>
    /// Throws what <paramref name="failure"/> builds unless the bool scalar <paramref name="condition"/> is true, as
    /// tf.debugging.Assert. The device's backend checks it: at once on the CPU, at its next download on an
    /// asynchronous device, so a training step pays no extra round trip.
    /// </summary>
    public static void Assert(Tensor condition, Func<Exception> failure)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(failure);
        if (condition.DType != DType.Bool || condition.Size != 1)
            throw new ArgumentException($"Assert: the condition must be a bool scalar, got {condition.DType.Name()} {ShapeUtil.Format(condition.Dims)}.");
        var flag = condition.ContiguousRaw();
        if (flag.Layout.Offset != 0) flag = flag.CastRaw(DType.Int32).CastRaw(DType.Bool); // a fresh buffer starting at the flag
        condition.Backend.Verify(flag.Storage, failure);
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
