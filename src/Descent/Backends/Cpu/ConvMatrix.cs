using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

/// <summary>
/// A tensor read as a row-major [rows, columns] matrix whose rows sit <see cref="Stride"/> ≥ columns apart: a view
/// of the caller's array when its layout is already that, else a copy (zero-padded on the right) borrowed from the pool.
/// </summary>
internal readonly struct ConvMatrix<T> : IDisposable where T : unmanaged
{
    public readonly T[] Data;
    public readonly int Offset, Stride;
    private readonly int _rented;

    private ConvMatrix(T[] data, int offset, int stride, int rented) => (Data, Offset, Stride, _rented) = (data, offset, stride, rented);

    /// <summary>
    /// <paramref name="x"/> (any layout, <paramref name="rows"/> · <paramref name="columns"/> elements row-major) with
    /// rows <paramref name="stride"/> apart; a contiguous layout is used in place when the stride equals the columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ConvMatrix<T> Read(T[] x, Layout layout, int rows, int columns, int stride)
    {
        if (layout.IsContiguous && stride == columns) return new(x, layout.Offset, stride, 0);
        int length = Math.Max(1, rows * stride);
        var data = CpuBackend.Instance.Pool.Rent<T>(length);
        if (stride != columns) Array.Clear(data, 0, length);
        // The destination keeps the tensor's shape; its leading axes step over whole rows of `stride`.
        var dims = layout.Dims;
        var strides = new int[dims.Length];
        int step = 1;
        for (int a = dims.Length - 1; a >= 0; a--)
        {
            strides[a] = step;
            step *= a == dims.Length - 1 ? stride : dims[a];
        }
        CpuBackend.Instance.Copy(CpuStorage.Wrap(x, x.Length), layout, CpuStorage.Wrap(data, length), new Layout(dims, strides, 0));
        return new(data, 0, stride, length);
    }

    public void Dispose()
    {
        if (_rented > 0) CpuBackend.Instance.Pool.Return(Data, _rented, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
    }
}
