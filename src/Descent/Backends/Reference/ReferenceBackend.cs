namespace Descent.Backends.Reference;

/// <summary>
/// The reference backend: every primitive is a plain loop over the elements of its output, one scalar at a
/// time, with sums and dot products accumulated in float64 and rounded once when the result is float32. No
/// SIMD, no threads, no pooling: slow and obviously correct, for debugging a model or checking a new backend.
/// It refuses buffers of any other backend, so a tensor that leaked from another device fails loudly, and it
/// checks the promises the ops make to their kernels (matching dtypes, indices in range) instead of trusting them.
/// </summary>
internal sealed partial class ReferenceBackend : IBackend
{
    /// <summary>The one reference backend.</summary>
    public static ReferenceBackend Instance { get; } = new();

    private ReferenceBackend() => Device = new Device("reference", 0, this);

    public string Name => "reference";

    public Storage Allocate(DType dtype, int length, bool zeroed) => new ReferenceStorage(dtype, length, zeroed);

    /// <summary>
    /// Where element <paramref name="index"/> of a layout (counted in row-major order over its shape) sits in
    /// storage: the offset plus each coordinate times its stride, the last axis varying fastest. Every kernel
    /// addresses its operands through this one function, so transposed, sliced and broadcast (stride 0) views
    /// need no other code. Views that share an output's shape are also how kernels find where an input element
    /// goes: a reduction's output seen with stride 0 along the reduced axes, a matrix row seen with stride 0 along
    /// the columns.
    /// </summary>
    internal static int At(Layout layout, int index)
    {
        int offset = layout.Offset;
        for (int axis = layout.Rank - 1; axis >= 0; axis--)
        {
            int extent = layout.Dims[axis];
            offset += index % extent * layout.StrideArray[axis];
            index /= extent;
        }
        return offset;
    }

    /// <summary>The buffer as this backend's own, or an exception naming the op and the backend it came from.</summary>
    private static ReferenceStorage Own(Storage storage, string op) =>
        storage as ReferenceStorage ?? throw new ArgumentException(
            $"{op}: the reference backend was given a {storage.Backend.Name} buffer; move the tensor to Device.Reference first.");

    /// <summary>Throws unless every buffer holds <paramref name="dtype"/>: the ops promise this, and this backend checks it.</summary>
    private static void Expect(string op, DType dtype, params ReadOnlySpan<Storage?> buffers)
    {
        foreach (var buffer in buffers)
            if (buffer is not null && buffer.DType != dtype)
                throw new ArgumentException($"{op}: expected {dtype.Name()} buffers, got {buffer.DType.Name()}.");
    }

    /// <summary>A view of a contiguous buffer with <paramref name="shape"/>, whose strides are 0 along the axes in <paramref name="ignored"/>.</summary>
    private static Layout Ignoring(int[] shape, int[] ignored, int offset = 0)
    {
        var kept = new List<int>();
        for (int axis = 0; axis < shape.Length; axis++)
            if (Array.IndexOf(ignored, axis) < 0) kept.Add(shape[axis]);
        var keptStrides = ShapeUtil.RowMajorStrides([.. kept]);
        var strides = new int[shape.Length];
        for (int axis = 0, k = 0; axis < shape.Length; axis++)
            strides[axis] = Array.IndexOf(ignored, axis) < 0 ? keptStrides[k++] : 0;
        return new Layout(shape, strides, offset);
    }

    /// <summary>An index the op has range-checked already; a reference device checks again, since a wrong one would read a neighbour silently.</summary>
    private static int CheckedIndex(string op, long index, int extent)
    {
        if (index < 0 || index >= extent)
            throw new ArgumentOutOfRangeException(nameof(index), $"{op}: index {index} is out of range [0, {extent}); the op should have rejected it.");
        return (int)index;
    }
}
