namespace Descent.Cuda.Backend;

/// <summary>
/// A layout as a kernel receives it (a <c>Lay&lt;R&gt;</c>): offset, extents and strides, after collapsing. It always
/// has at least one axis; a single element is [1] with stride 0.
/// </summary>
internal sealed record Strided(int Offset, int[] Dims, int[] Strides)
{
    public int Rank => Dims.Length;

    /// <summary>Row-major over <paramref name="count"/> elements from <paramref name="offset"/>.</summary>
    public static Strided Contiguous(int count, int offset = 0) => new(offset, [Math.Max(count, 1)], [1]);

    /// <summary>
    /// The layouts of operands that are walked together over one shape (an output and its inputs, all of
    /// <paramref name="shape"/>), with the same axes merged in all of them: axes of extent 1 are dropped, and an axis
    /// merges into the next wherever every operand steps over it as one run (stride = next stride × next extent;
    /// broadcast axes, stride 0 in both, merge too). A contiguous tensor becomes one axis, so its kernel's index
    /// arithmetic is a single multiply.
    /// </summary>
    public static Strided[] Collapse(IReadOnlyList<int> shape, params Layout[] operands)
    {
        var strides = operands.Select(o => o.Strides).ToArray();
        for (int j = 0; j < operands.Length; j++)
            if (operands[j].Rank != shape.Count)
                throw new ArgumentException($"Collapse: operand {j} has rank {operands[j].Rank}, the shape {shape.Count}.");
        return Collapse(shape, strides, operands.Select(o => o.Offset).ToArray());
    }

    /// <summary><see cref="Collapse(IReadOnlyList{int}, Layout[])"/> on raw strides and offsets.</summary>
    public static Strided[] Collapse(IReadOnlyList<int> shape, IReadOnlyList<int>[] strides, int[] offsets)
    {
        var dims = new List<int>();
        var kept = strides.Select(_ => new List<int>()).ToArray();
        for (int axis = 0; axis < shape.Count; axis++)
        {
            if (shape[axis] == 1) continue;
            int last = dims.Count - 1;
            bool merges = last >= 0;
            for (int j = 0; merges && j < strides.Length; j++)
                merges = kept[j][last] == strides[j][axis] * shape[axis];
            if (merges)
            {
                // The previous (outer) axis walks in steps of this whole axis: one axis of both extents, this stride.
                dims[last] *= shape[axis];
                for (int j = 0; j < strides.Length; j++) kept[j][last] = strides[j][axis];
                continue;
            }
            dims.Add(shape[axis]);
            for (int j = 0; j < strides.Length; j++) kept[j].Add(strides[j][axis]);
        }
        if (dims.Count == 0)
        {
            dims.Add(1);
            foreach (var k in kept) k.Add(0);
        }
        var result = new Strided[strides.Length];
        for (int j = 0; j < strides.Length; j++) result[j] = new Strided(offsets[j], [.. dims], [.. kept[j]]);
        return result;
    }

    /// <summary>The sub-layout of <paramref name="layout"/> over the axes [from, to), collapsed on its own, offset 0 (or the given one).</summary>
    public static Strided Part(Layout layout, int from, int to, int offset = 0) =>
        Collapse(layout.Shape.Skip(from).Take(to - from).ToArray(), [layout.Strides.Skip(from).Take(to - from).ToArray()], [offset])[0];

    /// <summary>Where element <paramref name="index"/> (row-major over <see cref="Dims"/>) sits: the kernels' at().</summary>
    public int At(int index)
    {
        int o = Offset;
        for (int a = Rank - 1; a > 0; a--)
        {
            int q = index / Dims[a];
            o += (index - q * Dims[a]) * Strides[a];
            index = q;
        }
        return o + index * Strides[0];
    }
}
