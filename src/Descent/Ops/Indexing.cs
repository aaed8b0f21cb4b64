using System.Runtime.CompilerServices;

namespace Descent;

// NumPy's basic indexing, and the strided slice under it. A strided slice is a view (each stride times its step); its
// gradient scatters into zeros at the same strided places (StridedPad), whose own gradient is the slice again.
public partial class Tensor
{
    /// <summary>
    /// Indexes as NumPy's basic indexing does, one entry per axis from the first: <c>x[1..3]</c>, <c>x[.., 0]</c>,
    /// <c>x[^1]</c>, <c>x[TensorIndex.Slice(1..7, 2)]</c> (every second element), <c>x[TensorIndex.Ellipsis, 0]</c>
    /// (the first element of the last axis) and <c>x[TensorIndex.NewAxis, ..]</c> (a new leading axis of size 1).
    /// An integer drops its axis; a range or slice keeps it; axes left over are kept whole. The result is a view.
    /// </summary>
    [IndexerName("Indexer")]
    public Tensor this[params TensorIndex[] indices]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(indices);
            int consumed = 0, ellipses = 0;
            foreach (var index in indices)
            {
                if (index.ConsumesAxis) consumed++;
                else if (index.Kind == TensorIndex.Kinds.Ellipsis) ellipses++;
            }
            if (ellipses > 1)
                throw new ArgumentException($"Index: at most one Ellipsis may appear, got {ellipses} (shape {ShapeUtil.Format(Dims)}).");
            if (consumed > Rank)
                throw new ArgumentException($"Index: {consumed} indices for a tensor of rank {Rank} with shape {ShapeUtil.Format(Dims)}.");

            var begin = new int[Rank];
            var size = (int[])Dims.Clone();
            var steps = new int[Rank];
            Array.Fill(steps, 1);
            var shape = new List<int>(Rank + indices.Length);
            int axis = 0;
            foreach (var index in indices)
            {
                switch (index.Kind)
                {
                    case TensorIndex.Kinds.Ellipsis:
                        for (int k = Rank - consumed; k > 0; k--) shape.Add(Dims[axis++]);
                        break;
                    case TensorIndex.Kinds.NewAxis:
                        shape.Add(1);
                        break;
                    case TensorIndex.Kinds.Position:
                        begin[axis] = PositionOf(index.Index, axis);
                        size[axis++] = 1;
                        break;
                    default:
                        (begin[axis], size[axis]) = RangeOf(index.Range, index.Step, Dims[axis]);
                        steps[axis] = index.Step;
                        shape.Add(size[axis++]);
                        break;
                }
            }
            while (axis < Rank) shape.Add(Dims[axis++]);
            // Dropped and new axes have size 1, which any strides can lose or gain, so the reshape stays a view.
            return Slice(begin, size, steps).Reshape(shape.ToArray());
        }
    }

    private int PositionOf(Index index, int axis)
    {
        int dim = Dims[axis];
        int i = index.IsFromEnd ? dim - index.Value : index.Value;
        if (i < 0 || i >= dim)
            throw new ArgumentOutOfRangeException(nameof(index), $"Index: index {index} is out of range for axis {axis} of size {dim} (shape {ShapeUtil.Format(Dims)}).");
        return i;
    }

    // Bounds are clamped to the axis, as NumPy clamps slice bounds; the count is how many steps fit in [start, end).
    private static (int Start, int Count) RangeOf(Range range, int step, int dim)
    {
        int start = Math.Clamp(range.Start.IsFromEnd ? dim - range.Start.Value : range.Start.Value, 0, dim);
        int end = Math.Clamp(range.End.IsFromEnd ? dim - range.End.Value : range.End.Value, start, dim);
        return (start, (int)(((long)end - start + step - 1) / step));
    }

    /// <summary>
    /// A strided view: on each axis i, <paramref name="size"/>[i] elements from <paramref name="begin"/>[i], every
    /// <paramref name="strides"/>[i]-th one (NumPy's <c>x[b : b + s·k : k]</c>; TensorFlow's strided_slice with a count
    /// in place of the end). A size of -1 takes as many as fit before the end of the axis. Strides must be positive.
    /// </summary>
    public Tensor Slice(int[] begin, int[] size, int[] strides)
    {
        ArgumentNullException.ThrowIfNull(begin);
        ArgumentNullException.ThrowIfNull(size);
        ArgumentNullException.ThrowIfNull(strides);
        if (begin.Length != Rank || size.Length != Rank || strides.Length != Rank)
            throw new ArgumentException($"Slice: begin {ShapeUtil.Format(begin)}, size {ShapeUtil.Format(size)} and strides {ShapeUtil.Format(strides)} must each have {Rank} entries for shape {ShapeUtil.Format(Dims)}.");
        var counts = new int[Rank];
        bool whole = true;
        for (int axis = 0; axis < Rank; axis++)
        {
            int dim = Dims[axis], b = begin[axis], k = strides[axis];
            if (k <= 0)
                throw new ArgumentOutOfRangeException(nameof(strides), $"Slice: strides must be positive, got {ShapeUtil.Format(strides)} (shape {ShapeUtil.Format(Dims)}); negative strides are not supported.");
            if (b < 0 || b > dim)
                throw new ArgumentOutOfRangeException(nameof(begin), $"Slice: begin {b} is out of range for axis {axis} of size {dim} (shape {ShapeUtil.Format(Dims)}).");
            int n = size[axis] == -1 ? (int)(((long)dim - b + k - 1) / k) : size[axis];
            if (n < 0 || n > 0 && b + (long)(n - 1) * k >= dim)
                throw new ArgumentOutOfRangeException(nameof(size), $"Slice: {n} elements from {b} in steps of {k} do not fit axis {axis} of size {dim} (shape {ShapeUtil.Format(Dims)}).");
            counts[axis] = n;
            whole &= b == 0 && n == dim;
        }
        if (whole) return this;
        var starts = (int[])begin.Clone(); // the backward must not see later edits by the caller
        var steps = (int[])strides.Clone();
        var shape = Dims;
        var y = View(Layout.Slice(starts, counts, steps));
        return GradientTape.Record(y, this, (g, _) => g.StridedPad(shape, starts, steps));
    }

    /// <summary>The backward of a strided slice: a zero tensor of <paramref name="shape"/> holding this one at the strided places.</summary>
    private Tensor StridedPad(int[] shape, int[] begin, int[] steps)
    {
        var y = Full(shape, 0, DType, Device);
        Backend.Copy(Storage, Layout, y.Storage, y.Layout.Slice(begin, Dims, steps));
        var size = Dims;
        return GradientTape.Record(y, this, (g, _) => g.Slice(begin, size, steps));
    }
}
