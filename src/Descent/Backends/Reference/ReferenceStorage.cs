namespace Descent.Backends.Reference;

/// <summary>
/// A buffer of the reference backend. Each element is kept in the widest type of its kind: float32 and
/// float64 as double, int32 and int64 as long, bool as bool. Kernels therefore compute in double or long,
/// and a value is narrowed to its dtype in one place only, on its way into the buffer: a float32 is rounded
/// to float32 (so every stored float32 element is a float32 value), an int32 wraps as C#'s int arithmetic does.
/// Its finalizer tells the backend's memory count that the buffer is gone.
/// </summary>
internal sealed class ReferenceStorage : Storage
{
    private readonly double[]? _reals;
    private readonly long[]? _integers;
    private readonly bool[]? _bools;

    internal ReferenceStorage(DType dtype, int length, bool zeroed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        DType = dtype;
        Length = length;
        // Memory nobody zeroed is filled with values no kernel would produce by accident, so a kernel or op
        // that reads elements it never wrote shows NaN (or int.MinValue) instead of a plausible zero.
        switch (dtype)
        {
            case DType.Float32 or DType.Float64:
                _reals = new double[length];
                if (!zeroed) Array.Fill(_reals, double.NaN);
                break;
            case DType.Int32 or DType.Int64:
                _integers = new long[length];
                if (!zeroed) Array.Fill(_integers, int.MinValue);
                break;
            case DType.Bool:
                _bools = new bool[length];
                if (!zeroed) Array.Fill(_bools, true);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype.");
        }
        _bytes = dtype == DType.Bool ? length : 8L * length;
        ReferenceBackend.Instance.Lent(_bytes);
    }

    // Set only once the buffer is counted: a constructor that threw still gets finalized.
    private readonly long _bytes;

    ~ReferenceStorage()
    {
        if (_bytes > 0) ReferenceBackend.Instance.Released(_bytes);
    }

    public override DType DType { get; }
    public override int Length { get; }
    public override IBackend Backend => ReferenceBackend.Instance;

    /// <summary>Element <paramref name="i"/> of a float32 or float64 buffer.</summary>
    internal double Real(int i) => _reals![i];

    /// <summary>Stores <paramref name="value"/> rounded to the buffer's float dtype.</summary>
    internal void SetReal(int i, double value) => _reals![i] = Round(DType, value);

    /// <summary>Element <paramref name="i"/> of an int32 or int64 buffer.</summary>
    internal long Integer(int i) => _integers![i];

    /// <summary>Stores <paramref name="value"/>, wrapped to 32 bits in an int32 buffer.</summary>
    internal void SetInteger(int i, long value) => _integers![i] = DType == DType.Int32 ? (int)value : value;

    /// <summary>Element <paramref name="i"/> of a bool buffer.</summary>
    internal bool Bool(int i) => _bools![i];

    internal void SetBool(int i, bool value) => _bools![i] = value;

    /// <summary><paramref name="value"/> as <paramref name="dtype"/> would hold it: float32 rounds to nearest, float64 keeps it.</summary>
    internal static double Round(DType dtype, double value) => dtype == DType.Float32 ? (float)value : value;

    /// <summary>Copies element <paramref name="i"/> to element <paramref name="j"/> of <paramref name="destination"/>, a buffer of the same dtype.</summary>
    internal void CopyTo(int i, ReferenceStorage destination, int j)
    {
        if (_reals is not null) destination._reals![j] = _reals[i];
        else if (_integers is not null) destination._integers![j] = _integers[i];
        else destination._bools![j] = _bools![i];
    }

    /// <summary>Element <paramref name="i"/> as the host type <typeparamref name="T"/> (the buffer's own CLR type).</summary>
    internal T Get<T>(int i) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return (T)(object)(float)_reals![i];
        if (typeof(T) == typeof(double)) return (T)(object)_reals![i];
        if (typeof(T) == typeof(int)) return (T)(object)(int)_integers![i];
        if (typeof(T) == typeof(long)) return (T)(object)_integers![i];
        return (T)(object)_bools![i];
    }

    /// <summary>Stores the host value <paramref name="value"/> (the buffer's own CLR type) at <paramref name="i"/>.</summary>
    internal void Set<T>(int i, T value) where T : unmanaged
    {
        switch (value)
        {
            case float f: _reals![i] = f; break;
            case double d: _reals![i] = d; break;
            case int n: _integers![i] = n; break;
            case long l: _integers![i] = l; break;
            case bool b: _bools![i] = b; break;
        }
    }
}
