namespace Descent;

/// <summary>
/// Where a tensor's elements sit in its storage: a shape, a stride per axis (in elements) and an offset.
/// Views (reshape of contiguous data, transpose, slice, broadcast) make a new layout over the same storage.
/// </summary>
public sealed class Layout
{
    internal readonly int[] Dims;
    internal readonly int[] StrideArray;

    /// <summary>The extent of each axis.</summary>
    public IReadOnlyList<int> Shape => Dims;

    /// <summary>The distance, in elements, between neighbours along each axis (0 for a broadcast axis).</summary>
    public IReadOnlyList<int> Strides => StrideArray;

    /// <summary>The storage index of the first element.</summary>
    public int Offset { get; }

    /// <summary>The number of axes.</summary>
    public int Rank => Dims.Length;

    /// <summary>The number of elements.</summary>
    public int Size { get; }

    internal Layout(int[] shape, int[] strides, int offset)
    {
        Dims = shape;
        StrideArray = strides;
        Offset = offset;
        Size = ShapeUtil.SizeOf(shape);
        IsContiguous = ComputeContiguous(shape, strides);
    }

    /// <summary>A row-major layout with no gaps, starting at <paramref name="offset"/>.</summary>
    public static Layout Contiguous(int[] shape, int offset = 0) =>
        shape.Length == 0 && offset == 0 ? Scalar : new(shape, ShapeUtil.RowMajorStrides(shape), offset);

    // Scalars are the commonest small tensors (losses, learning rates, seeds); they share one layout.
    private static readonly Layout Scalar = new([], [], 0);

    /// <summary>True when the elements are stored row-major with no gaps (the offset may be non-zero).</summary>
    public bool IsContiguous { get; }

    /// <summary>True when every stride is 0: one element repeated (a broadcast scalar).</summary>
    internal bool IsBroadcastScalar
    {
        get
        {
            foreach (int s in StrideArray) if (s != 0) return false;
            return true;
        }
    }

    private static bool ComputeContiguous(int[] shape, int[] strides)
    {
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    internal Layout Permute(int[] axes)
    {
        var shape = new int[axes.Length];
        var strides = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            shape[i] = Dims[axes[i]];
            strides[i] = StrideArray[axes[i]];
        }
        return new Layout(shape, strides, Offset);
    }

    /// <summary>Broadcasts to <paramref name="shape"/> (already checked compatible): new or size-1 axes get stride 0.</summary>
    internal Layout BroadcastTo(int[] shape)
    {
        if (shape.AsSpan().SequenceEqual(Dims)) return this;
        var strides = new int[shape.Length];
        int lead = shape.Length - Dims.Length;
        for (int i = 0; i < Dims.Length; i++)
            strides[lead + i] = Dims[i] == shape[lead + i] ? StrideArray[i] : 0;
        return new Layout(shape, strides, Offset);
    }

    internal Layout Slice(int axis, int start, int length)
    {
        var shape = (int[])Dims.Clone();
        shape[axis] = length;
        return new Layout(shape, StrideArray, Offset + start * StrideArray[axis]);
    }

    /// <summary>
    /// <paramref name="size"/>[i] elements of each axis i from <paramref name="begin"/>[i], every <paramref name="steps"/>[i]-th
    /// (already checked to fit): the offset moves to the first one and each stride is multiplied by its step.
    /// </summary>
    internal Layout Slice(int[] begin, int[] size, int[] steps)
    {
        var strides = new int[Dims.Length];
        int offset = Offset;
        for (int i = 0; i < Dims.Length; i++)
        {
            offset += begin[i] * StrideArray[i];
            // With one element or none the stride is never used; keeping it avoids overflow for a huge step.
            strides[i] = size[i] <= 1 ? StrideArray[i] : StrideArray[i] * steps[i];
        }
        return new Layout((int[])size.Clone(), strides, offset);
    }

    /// <summary>
    /// A view with a new shape, or null when the strides cannot express it. Contiguous data takes any shape;
    /// strided data can still gain or lose size-1 axes (a squeeze, an unsqueeze, an integer index).
    /// </summary>
    internal Layout? TryReshape(int[] shape)
    {
        if (IsContiguous) return Contiguous(shape, Offset);
        var strides = new int[shape.Length];
        int j = Dims.Length - 1, inner = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1)
            {
                strides[i] = inner; // any stride would do; this is the row-major one
                continue;
            }
            while (j >= 0 && Dims[j] == 1) j--;
            if (j < 0 || Dims[j] != shape[i]) return null;
            strides[i] = StrideArray[j--];
            inner = strides[i] * shape[i];
        }
        while (j >= 0 && Dims[j] == 1) j--;
        return j < 0 ? new Layout(shape, strides, Offset) : null;
    }

    /// <summary>The shape, strides and offset, for messages and debugging.</summary>
    public override string ToString() => $"shape {ShapeUtil.Format(Dims)}, strides {ShapeUtil.Format(StrideArray)}, offset {Offset}";
}
