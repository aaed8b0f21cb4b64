using Descent.Backends;

namespace Descent;

// Random creators. The device draws the numbers (Philox, counter-based), so a seed gives the same tensor on
// every device and for any thread count; the generator only hands out counter ranges.
public partial class Tensor
{
    /// <summary>Samples from a normal distribution; element i is the generator's i-th draw from here on.</summary>
    public static Tensor RandomNormal(int[] shape, Generator generator, double mean = 0, double stddev = 1, DType dtype = DType.Float32, Device? device = null) =>
        Sample("RandomNormal", shape, generator, RandomDistribution.Normal, mean, stddev, dtype, device);

    /// <summary>Samples from a normal distribution with a fresh generator seeded with <paramref name="seed"/> (random when null).</summary>
    public static Tensor RandomNormal(int[] shape, double mean = 0, double stddev = 1, DType dtype = DType.Float32, long? seed = null, Device? device = null) =>
        RandomNormal(shape, GeneratorFor(seed), mean, stddev, dtype, device);

    /// <summary>Samples uniformly from [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static Tensor RandomUniform(int[] shape, Generator generator, double min = 0, double max = 1, DType dtype = DType.Float32, Device? device = null) =>
        Sample("RandomUniform", shape, generator, RandomDistribution.Uniform, min, max, dtype, device);

    /// <summary>Samples uniformly from [<paramref name="min"/>, <paramref name="max"/>) with a fresh generator seeded with <paramref name="seed"/>.</summary>
    public static Tensor RandomUniform(int[] shape, double min = 0, double max = 1, DType dtype = DType.Float32, long? seed = null, Device? device = null) =>
        RandomUniform(shape, GeneratorFor(seed), min, max, dtype, device);

    /// <summary>Normal samples redrawn until within two standard deviations of the mean, as TensorFlow's truncated_normal.</summary>
    public static Tensor TruncatedNormal(int[] shape, Generator generator, double mean = 0, double stddev = 1, DType dtype = DType.Float32, Device? device = null) =>
        Sample("TruncatedNormal", shape, generator, RandomDistribution.TruncatedNormal, mean, stddev, dtype, device);

    /// <summary>Truncated normal samples with a fresh generator seeded with <paramref name="seed"/> (random when null).</summary>
    public static Tensor TruncatedNormal(int[] shape, double mean = 0, double stddev = 1, DType dtype = DType.Float32, long? seed = null, Device? device = null) =>
        TruncatedNormal(shape, GeneratorFor(seed), mean, stddev, dtype, device);

    private static Generator GeneratorFor(long? seed) => new(seed ?? System.Random.Shared.NextInt64());

    private static Tensor Sample(string op, int[] shape, Generator generator, RandomDistribution distribution, double a, double b, DType dtype, Device? device)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(generator);
        if (!dtype.IsFloat()) throw new ArgumentException($"{op}: dtype must be float32 or float64, got {dtype.Name()}.");
        var y = Empty(CheckedShape(op, shape), dtype, BackendOf(device));
        y.Backend.Random(distribution, generator.Seed, generator.Skip(y.Size), a, b, y.Storage);
        return y;
    }
}
