using Descent.Backends;

namespace Descent;

// Creators. Each takes an optional device; without one, the tensor lands on Device.Default.
public partial class Tensor
{
    /// <summary>A 1-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray<T>(T[] data) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromSpan<T>(data, [data.Length], null);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> in row-major order with <paramref name="shape"/> (empty: a scalar).</summary>
    public static Tensor FromArray<T>(T[] data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromSpan<T>(data, shape, null);
    }

    /// <summary>A tensor on <paramref name="device"/> holding a copy of <paramref name="data"/> with <paramref name="shape"/>.</summary>
    public static Tensor FromArray<T>(T[] data, int[] shape, Device? device) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromSpan<T>(data, shape, device);
    }

    /// <summary>A 1-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data) where T : unmanaged => FromSpan(data, [data.Length], null);

    /// <summary>A tensor holding a copy of <paramref name="data"/> with <paramref name="shape"/> (empty: a scalar).</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, params int[] shape) where T : unmanaged => FromSpan(data, shape, null);

    /// <summary>A tensor on <paramref name="device"/> (default: <see cref="Device.Default"/>) holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, int[] shape, Device? device) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape = CheckedShape("FromArray", shape);
        int size = ShapeUtil.SizeOf(shape);
        if (size != data.Length)
            throw new ArgumentException($"FromArray: {data.Length} values cannot fill shape {ShapeUtil.Format(shape)} ({size} elements).");
        var y = Empty(shape, DTypes.Of<T>(), BackendOf(device));
        y.Backend.Upload(data, y.Storage);
        return y;
    }

    /// <summary>A 2-D tensor from a rectangular array.</summary>
    public static Tensor FromArray<T>(T[,] data, Device? device = null) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        int rows = data.GetLength(0), cols = data.GetLength(1);
        var flat = new T[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) flat[i * cols + j] = data[i, j];
        return FromSpan<T>(flat, [rows, cols], device);
    }

    /// <summary>A float32 scalar.</summary>
    public static Tensor Scalar(float value) => Full([], value, DType.Float32);

    /// <summary>A float64 scalar.</summary>
    public static Tensor Scalar(double value) => Full([], value, DType.Float64);

    /// <summary>An int32 scalar.</summary>
    public static Tensor Scalar(int value) => Full([], value, DType.Int32);

    /// <summary>An int64 scalar (exact: not routed through double).</summary>
    public static Tensor Scalar(long value) => FromSpan<long>([value], [], null);

    /// <summary>A bool scalar.</summary>
    public static Tensor Scalar(bool value) => Full([], value ? 1 : 0, DType.Bool);

    /// <summary>A scalar of <paramref name="dtype"/> on <paramref name="device"/> (default: <see cref="Device.Default"/>).</summary>
    public static Tensor Scalar(double value, DType dtype, Device? device = null) => Full([], value, dtype, device);

    /// <summary>Implicit scalar: lets a float stand where a tensor is expected.</summary>
    public static implicit operator Tensor(float value) => Scalar(value);

    /// <summary>Implicit scalar: lets a double stand where a tensor is expected.</summary>
    public static implicit operator Tensor(double value) => Scalar(value);

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var y = Empty(CheckedShape("Full", shape), dtype, BackendOf(device));
        y.Backend.Fill(y.Storage, y.Layout, value);
        return y;
    }

    /// <summary>Float32 zeros of <paramref name="shape"/>, written like FromArray's shape: <c>Tensor.Zeros(3, 1)</c>.</summary>
    public static Tensor Zeros(params int[] shape) => Full(shape, 0);

    /// <summary>Zeros of <paramref name="shape"/>.</summary>
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 0, dtype, device);

    /// <summary>Float32 ones of <paramref name="shape"/>, written like FromArray's shape: <c>Tensor.Ones(3, 1)</c>.</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1);

    /// <summary>Ones of <paramref name="shape"/>.</summary>
    public static Tensor Ones(int[] shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 1, dtype, device);

    /// <summary>Zeros with the shape, dtype and device of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Full(like.Dims, 0, like.DType, like.Device);

    /// <summary>Ones with the shape, dtype and device of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => Full(like.Dims, 1, like.DType, like.Device);

    /// <summary>Values from <paramref name="start"/> up to (not including) <paramref name="stop"/> by <paramref name="step"/>, as NumPy's arange.</summary>
    public static Tensor Arange(double start, double stop, double step = 1, DType dtype = DType.Float32, Device? device = null)
    {
        if (step == 0 || !double.IsFinite(step)) throw new ArgumentException($"Arange: step must be finite and non-zero, got {step}.");
        int n = Math.Max(0, (int)Math.Ceiling((stop - start) / step));
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = start + i * step;
        return FromSpan<double>(values, [n], device).CastRaw(dtype);
    }

    /// <summary>Values 0, 1, ..., n-1.</summary>
    public static Tensor Arange(int n, DType dtype = DType.Float32, Device? device = null) => Arange(0, n, 1, dtype, device);

    /// <summary><paramref name="num"/> evenly spaced values from <paramref name="start"/> to <paramref name="stop"/> inclusive.</summary>
    public static Tensor Linspace(double start, double stop, int num, DType dtype = DType.Float32, Device? device = null)
    {
        if (num < 0) throw new ArgumentException($"Linspace: num must be non-negative, got {num}.");
        var values = new double[num];
        double step = num > 1 ? (stop - start) / (num - 1) : 0;
        for (int i = 0; i < num; i++) values[i] = start + i * step;
        if (num > 1) values[^1] = stop;
        return FromSpan<double>(values, [num], device).CastRaw(dtype);
    }

    /// <summary>An identity matrix with <paramref name="rows"/> rows and <paramref name="columns"/> columns (default square).</summary>
    public static Tensor Eye(int rows, int? columns = null, DType dtype = DType.Float32, Device? device = null)
    {
        int cols = columns ?? rows;
        if (rows < 0 || cols < 0) throw new ArgumentException($"Eye: sizes must be non-negative, got {rows}x{cols}.");
        var values = new double[rows * cols];
        for (int i = 0; i < Math.Min(rows, cols); i++) values[i * cols + i] = 1;
        return FromSpan<double>(values, [rows, cols], device).CastRaw(dtype);
    }

    private static IBackend BackendOf(Device? device) => (device ?? Device.Default).Backend;

    private static int[] CheckedShape(string op, int[] shape)
    {
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"{op}: shape {ShapeUtil.Format(shape)} has a negative dimension.");
        return (int[])shape.Clone();
    }
}
