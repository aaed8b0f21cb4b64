namespace Descent;

// Views that change only the layout: reshape, transpose, squeeze, broadcast. None copies unless it must.
public partial class Tensor
{
    private Tensor View(Layout layout) => new(Storage, layout);

    /// <summary>The same elements in a new shape; one axis may be -1 to be inferred. A view when the data is contiguous or only size-1 axes change.</summary>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var target = ResolveShape(shape);
        if (ShapeUtil.SameShape(target, Dims)) return this;
        var view = Layout.TryReshape(target);
        var source = view is null ? Contiguous() : this;
        var y = source.View(view ?? source.Layout.TryReshape(target)!);
        return GradientTape.Record(y, source, (g, _) => g.Reshape(source.Dims));
    }

    private int[] ResolveShape(int[] shape)
    {
        var result = (int[])shape.Clone();
        int infer = -1, known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape: only one axis may be -1, got {ShapeUtil.Format(shape)}.");
                infer = i;
            }
            else if (result[i] < 0) throw new ArgumentException($"Reshape: invalid dimension {result[i]} in {ShapeUtil.Format(shape)}.");
            else known *= result[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Size % known != 0)
                throw new ArgumentException($"Reshape: cannot reshape {ShapeUtil.Format(Dims)} ({Size} elements) to {ShapeUtil.Format(shape)}.");
            result[infer] = Size / known;
        }
        else if (known != Size)
            throw new ArgumentException($"Reshape: cannot reshape {ShapeUtil.Format(Dims)} ({Size} elements) to {ShapeUtil.Format(shape)} ({known} elements).");
        return result;
    }

    /// <summary>Permutes the axes (reverses them when no permutation is given). Always a view.</summary>
    public Tensor Transpose(params int[] permutation)
    {
        var perm = permutation is null || permutation.Length == 0 ? Enumerable.Range(0, Rank).Reverse().ToArray() : permutation;
        if (perm.Length != Rank)
            throw new ArgumentException($"Transpose: permutation {ShapeUtil.Format(perm)} has {perm.Length} axes, the tensor {ShapeUtil.Format(Dims)} has {Rank}.");
        var normalized = new int[Rank];
        var seen = new bool[Rank];
        for (int i = 0; i < Rank; i++)
        {
            normalized[i] = ShapeUtil.NormalizeAxis("Transpose", perm[i], Rank);
            if (seen[normalized[i]]) throw new ArgumentException($"Transpose: axis {perm[i]} appears twice in {ShapeUtil.Format(perm)}.");
            seen[normalized[i]] = true;
        }
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++) inverse[normalized[i]] = i;
        var y = View(Layout.Permute(normalized));
        return GradientTape.Record(y, this, (g, _) => g.Transpose(inverse));
    }

    /// <summary>Drops size-1 axes: the given one, or all of them.</summary>
    public Tensor Squeeze(int? axis = null)
    {
        List<int> shape = [];
        if (axis is int a)
        {
            a = ShapeUtil.NormalizeAxis("Squeeze", a, Rank);
            if (Dims[a] != 1) throw new ArgumentException($"Squeeze: axis {axis} of {ShapeUtil.Format(Dims)} has size {Dims[a]}, not 1.");
            for (int i = 0; i < Rank; i++) if (i != a) shape.Add(Dims[i]);
        }
        else
            foreach (int d in Dims) if (d != 1) shape.Add(d);
        return Reshape(shape.ToArray());
    }

    /// <summary>Inserts a size-1 axis at <paramref name="axis"/> (TensorFlow's expand_dims).</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = ShapeUtil.NormalizeAxis("Unsqueeze", axis, Rank + 1);
        var shape = new List<int>(Dims);
        shape.Insert(a, 1);
        return Reshape(shape.ToArray());
    }

    /// <summary>Same as <see cref="Unsqueeze"/>, under TensorFlow's name.</summary>
    public Tensor ExpandDims(int axis) => Unsqueeze(axis);

    /// <summary>Collapses every axis after the first into one: [batch, rest].</summary>
    public Tensor Flatten() => Rank <= 1 ? Reshape(Size) : Reshape(Dims[0], -1);

    /// <summary>Broadcasts to <paramref name="shape"/> by NumPy's rules, as a view with stride 0 on repeated axes.</summary>
    public Tensor BroadcastTo(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var result = ShapeUtil.Broadcast("BroadcastTo", Dims, shape);
        if (!ShapeUtil.SameShape(result, shape))
            throw new ArgumentException($"BroadcastTo: shape {ShapeUtil.Format(Dims)} cannot be broadcast to {ShapeUtil.Format(shape)}.");
        if (ShapeUtil.SameShape(shape, Dims)) return this;
        var y = View(Layout.BroadcastTo((int[])shape.Clone()));
        return GradientTape.Record(y, this, (g, _) => SumTo(g, Dims));
    }
}
