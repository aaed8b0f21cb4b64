namespace Descent;

// Slicing, concatenation and padding, each the other's gradient.
public partial class Tensor
{
    /// <summary>A view of <paramref name="length"/> elements of <paramref name="axis"/> from <paramref name="start"/>.</summary>
    public Tensor SliceAxis(int axis, int start, int length)
    {
        axis = ShapeUtil.NormalizeAxis("Slice", axis, Rank);
        int dim = Dims[axis];
        if (start < 0 || length < 0 || start + length > dim)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice: [{start}, {start + length}) is out of range for axis {axis} of size {dim} (shape {ShapeUtil.Format(Dims)}).");
        if (start == 0 && length == dim) return this;
        var y = View(Layout.Slice(axis, start, length));
        return GradientTape.Record(y, this, (g, _) =>
        {
            var pads = new (int, int)[Rank];
            pads[axis] = (start, dim - start - length);
            return g.Pad(pads);
        });
    }

    /// <summary>TensorFlow's slice: <paramref name="size"/> elements from <paramref name="begin"/> on each axis (-1 means "to the end").</summary>
    public Tensor Slice(int[] begin, int[] size)
    {
        if (begin.Length != Rank || size.Length != Rank)
            throw new ArgumentException($"Slice: begin {ShapeUtil.Format(begin)} and size {ShapeUtil.Format(size)} must each have {Rank} entries for shape {ShapeUtil.Format(Dims)}.");
        var y = this;
        for (int axis = 0; axis < Rank; axis++)
            y = y.SliceAxis(axis, begin[axis], size[axis] == -1 ? Dims[axis] - begin[axis] : size[axis]);
        return y;
    }

    /// <summary>Pads each axis with (before, after) copies of <paramref name="value"/>.</summary>
    public Tensor Pad((int Before, int After)[] paddings, double value = 0)
    {
        ArgumentNullException.ThrowIfNull(paddings);
        paddings = ((int Before, int After)[])paddings.Clone(); // the backward must not see later edits by the caller
        if (paddings.Length != Rank)
            throw new ArgumentException($"Pad: {paddings.Length} paddings for a tensor of rank {Rank} (shape {ShapeUtil.Format(Dims)}).");
        var shape = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            if (paddings[i].Before < 0 || paddings[i].After < 0)
                throw new ArgumentException($"Pad: paddings must be non-negative, got ({paddings[i].Before}, {paddings[i].After}) on axis {i}.");
            shape[i] = Dims[i] + paddings[i].Before + paddings[i].After;
        }
        var y = Full(shape, value, DType, Device);
        var interior = y.Layout;
        for (int i = 0; i < Rank; i++) interior = interior.Slice(i, paddings[i].Before, Dims[i]);
        Backend.Copy(Storage, Layout, y.Storage, interior);
        return GradientTape.Record(y, this, (g, _) =>
        {
            var begin = new int[Rank];
            for (int i = 0; i < Rank; i++) begin[i] = paddings[i].Before;
            return g.Slice(begin, Dims);
        });
    }

    /// <summary>Joins tensors along an existing axis.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Concat: needs at least one tensor.");
        var first = tensors[0];
        axis = ShapeUtil.NormalizeAxis("Concat", axis, first.Rank);
        var shape = (int[])first.Dims.Clone();
        shape[axis] = 0;
        foreach (var t in tensors)
        {
            first.CheckSameDType("Concat", t);
            first.CheckSameDevice("Concat", t);
            bool ok = t.Rank == first.Rank;
            for (int i = 0; ok && i < t.Rank; i++) ok = i == axis || t.Dims[i] == first.Dims[i];
            if (!ok)
                throw new ArgumentException($"Concat: shapes {ShapeUtil.Format(first.Dims)} and {ShapeUtil.Format(t.Dims)} differ outside axis {axis}.");
            shape[axis] += t.Dims[axis];
        }
        var y = Empty(shape, first.DType, first.Backend);
        var starts = new int[tensors.Count];
        int offset = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            starts[i] = offset;
            first.Backend.Copy(tensors[i].Storage, tensors[i].Layout, y.Storage, y.Layout.Slice(axis, offset, tensors[i].Dims[axis]));
            offset += tensors[i].Dims[axis];
        }
        var inputs = tensors.ToArray();
        return GradientTape.Record(y, inputs, (g, i) => g.SliceAxis(axis, starts[i], inputs[i].Dims[axis]));
    }

    /// <summary>Joins same-shaped tensors along a new axis.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Stack: needs at least one tensor.");
        foreach (var t in tensors)
            if (!ShapeUtil.SameShape(t.Dims, tensors[0].Dims))
                throw new ArgumentException($"Stack: shapes differ: {ShapeUtil.Format(tensors[0].Dims)} and {ShapeUtil.Format(t.Dims)}.");
        int a = ShapeUtil.NormalizeAxis("Stack", axis, tensors[0].Rank + 1);
        var expanded = new Tensor[tensors.Count];
        for (int i = 0; i < expanded.Length; i++) expanded[i] = tensors[i].Unsqueeze(a);
        return Concat(expanded, a);
    }

    /// <summary>Splits into <paramref name="parts"/> equal pieces along <paramref name="axis"/>.</summary>
    public Tensor[] Split(int parts, int axis = 0)
    {
        int a = ShapeUtil.NormalizeAxis("Split", axis, Rank);
        if (parts <= 0 || Dims[a] % parts != 0)
            throw new ArgumentException($"Split: axis {axis} of size {Dims[a]} cannot be split into {parts} equal parts.");
        return Split(Enumerable.Repeat(Dims[a] / parts, parts).ToArray(), axis);
    }

    /// <summary>Splits into pieces of the given sizes along <paramref name="axis"/>.</summary>
    public Tensor[] Split(int[] sizes, int axis = 0)
    {
        int a = ShapeUtil.NormalizeAxis("Split", axis, Rank);
        if (sizes.Any(s => s < 0) || sizes.Sum() != Dims[a])
            throw new ArgumentException($"Split: sizes {ShapeUtil.Format(sizes)} do not add up to axis {axis} of size {Dims[a]}.");
        var result = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            result[i] = SliceAxis(a, start, sizes[i]);
            start += sizes[i];
        }
        return result;
    }

    /// <summary>
    /// The slices along <paramref name="axis"/>, each without that axis (tf.unstack): views, no copies. The gradient
    /// is one stack of the pieces' gradients, zeros for pieces nothing used, so looping over the time steps of a
    /// sequence costs one copy in the backward pass, not a zero-padded copy of the whole sequence per step.
    /// </summary>
    public Tensor[] Unstack(int axis = 0)
    {
        int a = ShapeUtil.NormalizeAxis("Unstack", axis, Rank);
        int[] pieceShape = [.. Dims[..a], .. Dims[(a + 1)..]];
        var pieces = new Tensor[Dims[a]];
        for (int i = 0; i < pieces.Length; i++)
            pieces[i] = View(Layout.Slice(a, i, 1).TryReshape(pieceShape)!); // dropping a size-1 axis is always a view
        return GradientTape.Record(pieces, this, (gs, _) =>
        {
            var parts = new Tensor[gs.Length];
            for (int i = 0; i < gs.Length; i++) parts[i] = gs[i] ?? Zeros(pieceShape, DType, Device);
            return Stack(parts, a);
        });
    }

    /// <summary>Repeats the tensor <paramref name="multiples"/>[i] times along each axis i.</summary>
    public Tensor Tile(params int[] multiples)
    {
        if (multiples.Length != Rank)
            throw new ArgumentException($"Tile: {multiples.Length} multiples for a tensor of rank {Rank} (shape {ShapeUtil.Format(Dims)}).");
        // [d0, d1] tiled by [m0, m1] is [1, d0, 1, d1] broadcast to [m0, d0, m1, d1], then merged: the gradient comes for free.
        var interleaved = new int[2 * Rank];
        var broadcast = new int[2 * Rank];
        var result = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            if (multiples[i] < 0) throw new ArgumentException($"Tile: multiples must be non-negative, got {ShapeUtil.Format(multiples)}.");
            interleaved[2 * i] = 1;
            interleaved[2 * i + 1] = Dims[i];
            broadcast[2 * i] = multiples[i];
            broadcast[2 * i + 1] = Dims[i];
            result[i] = multiples[i] * Dims[i];
        }
        return Reshape(interleaved).BroadcastTo(broadcast).Reshape(result);
    }
}
