namespace Descent;

/// <summary>Shape arithmetic shared by the ops: sizes, strides, broadcasting and axis checks.</summary>
internal static class ShapeUtil
{
    public static int SizeOf(ReadOnlySpan<int> shape)
    {
        long size = 1;
        foreach (int d in shape) size *= d;
        if (size > int.MaxValue) throw new ArgumentException($"Tensor: shape {Format(shape)} has more than {int.MaxValue} elements.");
        return (int)size;
    }

    public static int[] RowMajorStrides(int[] shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(",", shape.ToArray()) + "]";

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>NumPy broadcasting: align trailing axes; each pair must be equal or contain a 1.</summary>
    public static int[] Broadcast(string op, int[] a, int[] b)
    {
        if (a.AsSpan().SequenceEqual(b)) return a;
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (axis {i}: {da} vs {db}).");
            shape[i] = da == 1 ? db : da;
        }
        return shape;
    }

    public static int NormalizeAxis(string op, int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{op}: axis {axis} is out of range for a tensor of rank {rank}.");
        return a;
    }

    /// <summary>Sorted, distinct, non-negative axes; null means every axis, and an empty array none (as NumPy and TensorFlow).</summary>
    public static int[] NormalizeAxes(string op, int[]? axes, int rank)
    {
        if (axes is null)
        {
            var all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        var result = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++) result[i] = NormalizeAxis(op, axes[i], rank);
        Array.Sort(result);
        for (int i = 1; i < result.Length; i++)
            if (result[i] == result[i - 1]) throw new ArgumentException($"{op}: axis {result[i]} is repeated in {Format(axes)}.");
        return result;
    }

    /// <summary>The shape after reducing <paramref name="axes"/> (sorted), keeping them as 1 or dropping them.</summary>
    public static int[] Reduced(int[] shape, int[] axes, bool keepDims)
    {
        var result = new int[keepDims ? shape.Length : shape.Length - axes.Length];
        for (int i = 0, j = 0; i < shape.Length; i++)
        {
            bool reduced = Array.IndexOf(axes, i) >= 0;
            if (!reduced) result[j++] = shape[i];
            else if (keepDims) result[j++] = 1;
        }
        return result;
    }
}
