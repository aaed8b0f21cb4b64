using Descent.Backends.Cpu;

namespace Descent;

public partial class Tensor
{
    /// <summary>A 1-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray<T>(T[] data) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromSpan<T>(data, [data.Length]);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> in row-major order with <paramref name="shape"/> (empty: a scalar).</summary>
    public static Tensor FromArray<T>(T[] data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromSpan<T>(data, shape);
    }

    /// <summary>A 1-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data) where T : unmanaged => FromSpan(data, [data.Length]);

    /// <summary>A tensor holding a copy of <paramref name="data"/> with <paramref name="shape"/> (empty: a scalar).</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape = (int[])shape.Clone();
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"FromArray: shape {ShapeUtil.Format(shape)} has a negative dimension.");
        int size = ShapeUtil.SizeOf(shape);
        if (size != data.Length)
            throw new ArgumentException($"FromArray: {data.Length} values cannot fill shape {ShapeUtil.Format(shape)} ({size} elements).");
        var y = Empty(shape, DTypes.Of<T>());
        data.CopyTo(((CpuStorage)y.Storage).Array<T>());
        return y;
    }

    /// <summary>A 2-D tensor from a rectangular array.</summary>
    public static Tensor FromArray<T>(T[,] data) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        int rows = data.GetLength(0), cols = data.GetLength(1);
        var flat = new T[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) flat[i * cols + j] = data[i, j];
        return FromArray(flat, rows, cols);
    }

    /// <summary>A float32 scalar.</summary>
    public static Tensor Scalar(float value) => ScalarOf(value);

    /// <summary>A float64 scalar.</summary>
    public static Tensor Scalar(double value) => ScalarOf(value);

    /// <summary>An int32 scalar.</summary>
    public static Tensor Scalar(int value) => ScalarOf(value);

    /// <summary>An int64 scalar.</summary>
    public static Tensor Scalar(long value) => ScalarOf(value);

    /// <summary>A bool scalar.</summary>
    public static Tensor Scalar(bool value) => ScalarOf(value);

    // Not FromArray([value], []): an empty shape there means "1-D", which would give shape [1].
    private static Tensor ScalarOf<T>(T value) where T : unmanaged
    {
        var y = Empty([], DTypes.Of<T>());
        ((CpuStorage)y.Storage).Array<T>()[0] = value;
        return y;
    }

    /// <summary>A scalar of <paramref name="dtype"/>.</summary>
    public static Tensor Scalar(double value, DType dtype) => Full([], value, dtype);

    /// <summary>Implicit scalar: lets a float stand where a tensor is expected.</summary>
    public static implicit operator Tensor(float value) => Scalar(value);

    /// <summary>Implicit scalar: lets a double stand where a tensor is expected.</summary>
    public static implicit operator Tensor(double value) => Scalar(value);

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"Full: shape {ShapeUtil.Format(shape)} has a negative dimension.");
        var y = Empty((int[])shape.Clone(), dtype);
        y.Backend.Fill(y.Storage, y.Layout, value);
        return y;
    }

    /// <summary>Zeros of <paramref name="shape"/>.</summary>
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32) => Full(shape, 0, dtype);

    /// <summary>Ones of <paramref name="shape"/>.</summary>
    public static Tensor Ones(int[] shape, DType dtype = DType.Float32) => Full(shape, 1, dtype);

    /// <summary>Zeros with the shape and dtype of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Full(like.Dims, 0, like.DType);

    /// <summary>Ones with the shape and dtype of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => Full(like.Dims, 1, like.DType);

    /// <summary>Values from <paramref name="start"/> up to (not including) <paramref name="stop"/> by <paramref name="step"/>, as NumPy's arange.</summary>
    public static Tensor Arange(double start, double stop, double step = 1, DType dtype = DType.Float32)
    {
        if (step == 0 || !double.IsFinite(step)) throw new ArgumentException($"Arange: step must be finite and non-zero, got {step}.");
        int n = Math.Max(0, (int)Math.Ceiling((stop - start) / step));
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = start + i * step;
        return FromArray(values).CastRaw(dtype);
    }

    /// <summary>Values 0, 1, ..., n-1.</summary>
    public static Tensor Arange(int n, DType dtype = DType.Float32) => Arange(0, n, 1, dtype);

    /// <summary><paramref name="num"/> evenly spaced values from <paramref name="start"/> to <paramref name="stop"/> inclusive.</summary>
    public static Tensor Linspace(double start, double stop, int num, DType dtype = DType.Float32)
    {
        if (num < 0) throw new ArgumentException($"Linspace: num must be non-negative, got {num}.");
        var values = new double[num];
        double step = num > 1 ? (stop - start) / (num - 1) : 0;
        for (int i = 0; i < num; i++) values[i] = start + i * step;
        if (num > 1) values[^1] = stop;
        return FromArray(values).CastRaw(dtype);
    }

    /// <summary>An identity matrix with <paramref name="rows"/> rows and <paramref name="columns"/> columns (default square).</summary>
    public static Tensor Eye(int rows, int? columns = null, DType dtype = DType.Float32)
    {
        int cols = columns ?? rows;
        if (rows < 0 || cols < 0) throw new ArgumentException($"Eye: sizes must be non-negative, got {rows}x{cols}.");
        var values = new double[rows * cols];
        for (int i = 0; i < Math.Min(rows, cols); i++) values[i * cols + i] = 1;
        return FromArray(values, rows, cols).CastRaw(dtype);
    }

    /// <summary>Samples from a normal distribution, drawn from <paramref name="generator"/> in row-major order.</summary>
    public static Tensor RandomNormal(int[] shape, Generator generator, double mean = 0, double stddev = 1, DType dtype = DType.Float32) =>
        Sample(shape, generator, dtype, g => mean + stddev * g.NextNormal());

    /// <summary>Samples uniformly from [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static Tensor RandomUniform(int[] shape, Generator generator, double min = 0, double max = 1, DType dtype = DType.Float32) =>
        Sample(shape, generator, dtype, g => min + (max - min) * g.NextDouble());

    /// <summary>Normal samples redrawn until within two standard deviations of the mean, as TensorFlow's truncated_normal.</summary>
    public static Tensor TruncatedNormal(int[] shape, Generator generator, double mean = 0, double stddev = 1, DType dtype = DType.Float32) =>
        Sample(shape, generator, dtype, g =>
        {
            double z;
            do z = g.NextNormal(); while (Math.Abs(z) > 2);
            return mean + stddev * z;
        });

    private static Tensor Sample(int[] shape, Generator generator, DType dtype, Func<Generator, double> draw)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (!dtype.IsFloat()) throw new ArgumentException($"Random: dtype must be float32 or float64, got {dtype.Name()}.");
        var values = new double[ShapeUtil.SizeOf(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = draw(generator);
        return FromArray(values, (int[])shape.Clone()).CastRaw(dtype);
    }
}
