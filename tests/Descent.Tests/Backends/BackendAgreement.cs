using Descent.Backends;

namespace Descent.Tests.Backends;

/// <summary>How an operand's elements sit in its buffer when a kernel is handed it.</summary>
public enum Arrangement
{
    /// <summary>Row-major from element 0.</summary>
    Contiguous,

    /// <summary>Row-major from element 3 of the buffer.</summary>
    Shifted,

    /// <summary>Every axis reversed: the buffer holds the transpose.</summary>
    Transposed,

    /// <summary>A box one in from each side of a buffer two larger along every axis: strides of the big box, an offset.</summary>
    Sliced,

    /// <summary>The first axis repeats one slab (stride 0), from element 1 of the buffer.</summary>
    Broadcast,
}

/// <summary>Which random values fill an operand.</summary>
public enum Values
{
    /// <summary>Floats in [−3, 3].</summary>
    Finite,

    /// <summary>Mostly [−3, 3], with NaN, ±∞, ±0 and halves mixed in; integers small and large (wrapping).</summary>
    Mixed,

    /// <summary>A handful of values (with −0, +0 and NaN for floats), so ties and equalities are common.</summary>
    Ties,

    /// <summary>Mixed, with every integer 0 replaced (divisors).</summary>
    Nonzero,

    /// <summary>Indices in [0, bound).</summary>
    Index,

    /// <summary>Mixed plus the values conversions get wrong: beyond int32 and int64, and longs a double cannot hold.</summary>
    Extreme,
}

/// <summary>How close two backends must come: within <see cref="Ulps"/> units in the last place of the dtype, or within <see cref="Absolute"/>.</summary>
public readonly record struct Within(int Ulps, double Absolute = 0)
{
    /// <summary>The same bits (any NaN matches any NaN; −0 and +0 differ).</summary>
    public static readonly Within Exactly = new(0);

    /// <summary>
    /// The textbook bound on recursive summation of <paramref name="terms"/> terms of size at most
    /// <paramref name="magnitude"/>: n·u·Σ|x| ≤ n²·u·m, u the dtype's unit roundoff. Backends add in different
    /// orders (and the reference in float64), so each may sit anywhere within it.
    /// </summary>
    public static Within Sums(DType dtype, int terms, double magnitude) =>
        new(4, (double)terms * terms * magnitude * Math.ScaleB(1.0, dtype == DType.Float32 ? -24 : -53));
}

/// <summary>Host values in a buffer, and the layout through which a kernel sees them.</summary>
public sealed record Operand(Array Values, Layout Layout)
{
    public DType DType => BackendAgreement.DTypeOf(Values);

    /// <summary>A fresh buffer on <paramref name="backend"/> holding <see cref="Values"/>.</summary>
    public Storage On(IBackend backend)
    {
        var storage = backend.Allocate(DType, Values.Length, zeroed: false);
        BackendAgreement.Upload(backend, Values, storage);
        return storage;
    }
}

/// <summary>
/// Runs a primitive on two backends over the same inputs and compares what comes back, element by element.
/// Written for the reference device against the CPU, and reusable for any new backend against the reference.
/// </summary>
internal static class BackendAgreement
{
    public static Operand Make(Random random, DType dtype, int[] shape, Arrangement arrangement, Values values = Values.Mixed, int bound = 0)
    {
        int size = ShapeUtil.SizeOf(shape);
        var (layout, length) = arrangement switch
        {
            Arrangement.Shifted => (Layout.Contiguous(shape, offset: 3), size + 3),
            Arrangement.Transposed => (Layout.Contiguous(Reversed(shape)).Permute(Reversed([.. Enumerable.Range(0, shape.Length)])), size),
            Arrangement.Sliced => (Sliced(shape), ShapeUtil.SizeOf([.. shape.Select(d => d + 2)])),
            Arrangement.Broadcast when shape.Length > 0 =>
                (new Layout(shape, [0, .. ShapeUtil.RowMajorStrides(shape[1..])], 1), ShapeUtil.SizeOf(shape.AsSpan(1)) + 1),
            _ => (Layout.Contiguous(shape), size),
        };
        return new Operand(RandomValues(random, dtype, length, values, bound), layout);
    }

    private static int[] Reversed(int[] a) => [.. Enumerable.Reverse(a)];

    private static Layout Sliced(int[] shape)
    {
        var layout = Layout.Contiguous([.. shape.Select(d => d + 2)]);
        for (int axis = 0; axis < shape.Length; axis++) layout = layout.Slice(axis, 1, shape[axis]);
        return layout;
    }

    public static Array RandomValues(Random random, DType dtype, int length, Values values, int bound = 0) => dtype switch
    {
        DType.Float32 => Repeat(length, () => (float)Real(random, values, bound)),
        DType.Float64 => Repeat(length, () => Real(random, values, bound)),
        DType.Int32 => Repeat(length, () => (int)Math.Clamp(Integer(random, values, bound, wide: false), int.MinValue, int.MaxValue)),
        DType.Int64 => Repeat(length, () => Integer(random, values, bound, wide: true)),
        _ => Repeat(length, () => random.Next(2) == 1),
    };

    private static T[] Repeat<T>(int length, Func<T> next)
    {
        var a = new T[length];
        for (int i = 0; i < length; i++) a[i] = next();
        return a;
    }

    private static readonly double[] Specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 0.5, -2.5, 1.5];
    private static readonly double[] FewReals = [-1, -0.0, 0, 1, 2, double.NaN];
    private static readonly double[] Huge = [3e9, -3e9, 1e19, -1e19, 2147483520, -2.7, 2.7];
    private static readonly long[] HugeIntegers = [long.MinValue, long.MaxValue, int.MinValue, int.MaxValue, (1L << 53) + (1L << 29) + 1, (1L << 33) + 5, -1];

    private static double Real(Random random, Values values, int bound) => values switch
    {
        Values.Finite => random.NextDouble() * 6 - 3,
        Values.Ties => FewReals[random.Next(FewReals.Length)],
        Values.Index => random.Next(bound),
        Values.Extreme when random.Next(4) == 0 => Huge[random.Next(Huge.Length)],
        _ when random.Next(7) == 0 => Specials[random.Next(Specials.Length)],
        _ => random.NextDouble() * 6 - 3,
    };

    // Mixed integers are half small, half anywhere in the dtype's range but MinValue (whose negation overflows).
    private static long Integer(Random random, Values values, int bound, bool wide) => values switch
    {
        Values.Finite or Values.Ties => random.Next(-3, 4),
        Values.Index => random.Next(bound),
        Values.Nonzero => Integer(random, Values.Mixed, bound, wide) is var v && v == 0 ? 1 : v,
        Values.Extreme when random.Next(4) == 0 => HugeIntegers[random.Next(HugeIntegers.Length)],
        _ when random.Next(2) == 0 => random.Next(-5, 6),
        _ => wide ? random.NextInt64(long.MinValue + 1, long.MaxValue) : random.Next(int.MinValue + 1, int.MaxValue),
    };

    public static DType DTypeOf(Array values) => values switch
    {
        float[] => DType.Float32,
        double[] => DType.Float64,
        int[] => DType.Int32,
        long[] => DType.Int64,
        _ => DType.Bool,
    };

    public static void Upload(IBackend backend, Array values, Storage storage)
    {
        switch (values)
        {
            case float[] f: backend.Upload<float>(f, storage); break;
            case double[] d: backend.Upload<double>(d, storage); break;
            case int[] i: backend.Upload<int>(i, storage); break;
            case long[] l: backend.Upload<long>(l, storage); break;
            default: backend.Upload<bool>((bool[])values, storage); break;
        }
    }

    /// <summary>The whole buffer, as host values.</summary>
    public static Array Download(IBackend backend, Storage storage) => storage.DType switch
    {
        DType.Float32 => Download<float>(backend, storage),
        DType.Float64 => Download<double>(backend, storage),
        DType.Int32 => Download<int>(backend, storage),
        DType.Int64 => Download<long>(backend, storage),
        _ => Download<bool>(backend, storage),
    };

    private static T[] Download<T>(IBackend backend, Storage storage) where T : unmanaged
    {
        var host = new T[storage.Length];
        backend.Download<T>(storage, 0, host);
        return host;
    }

    /// <summary>
    /// Runs <paramref name="run"/> (a kernel call returning its output buffer) on <paramref name="expected"/> and
    /// <paramref name="actual"/> and compares. With <paramref name="throws"/>, both must throw exactly that type instead.
    /// </summary>
    public static void Agree(IBackend expected, IBackend actual, Func<IBackend, Array> run, Within within, string what, Type? throws = null)
    {
        if (throws is not null)
        {
            foreach (var backend in new[] { expected, actual })
            {
                var e = Assert.ThrowsAny<Exception>(() => run(backend));
                Assert.True(e.GetType() == throws, $"{what}: {backend.Name} threw {e.GetType().Name} ({e.Message}), expected {throws.Name}.");
            }
            return;
        }
        AssertClose(run(expected), run(actual), within, $"{what} ({expected.Name} vs {actual.Name})");
    }

    public static void AssertClose(Array expected, Array actual, Within within, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} elements, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            object e = expected.GetValue(i)!, a = actual.GetValue(i)!;
            bool close = (e, a) switch
            {
                (float x, float y) => Near(x, y, Ordered(x) - Ordered(y), within),
                (double x, double y) => Near(x, y, Ordered(x) - Ordered(y), within),
                _ => e.Equals(a),
            };
            Assert.True(close, $"{what}: element {i} is {Show(a)}, expected {Show(e)} (within {within}).");
        }
    }

    private static bool Near(double x, double y, Int128 ulps, Within within) =>
        (double.IsNaN(x) && double.IsNaN(y)) || Int128.Abs(ulps) <= within.Ulps || (within.Absolute > 0 && Math.Abs(x - y) <= within.Absolute);

    // Floats in order as integers, one step per representable value; −0 sits one step below +0.
    private static Int128 Ordered(float x) => BitConverter.SingleToInt32Bits(x) is var b && b < 0 ? -(Int128)(b & int.MaxValue) - 1 : b;

    private static Int128 Ordered(double x) => BitConverter.DoubleToInt64Bits(x) is var b && b < 0 ? -(Int128)(b & long.MaxValue) - 1 : b;

    private static string Show(object value) => value switch
    {
        float f => f.ToString("R") + (f == 0 && float.IsNegative(f) ? " (−0)" : ""),
        double d => d.ToString("R") + (d == 0 && double.IsNegative(d) ? " (−0)" : ""),
        _ => value.ToString()!,
    };
}
