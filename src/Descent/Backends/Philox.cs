using System.Runtime.CompilerServices;

namespace Descent.Backends;

/// <summary>
/// Philox 4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the counter-based
/// generator TensorFlow, JAX and cuRAND use. Element i of a random tensor depends only on (seed, offset + i),
/// never on which thread or device computed it, so one seed gives the same numbers everywhere.
/// Every backend maps counters to values with the functions here (or a line-by-line port of them).
/// </summary>
public static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>The 128-bit block for counter (c0, c1, c2, c3) under the 64-bit key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint, uint, uint, uint) Block(uint c0, uint c1, uint c2, uint c3, ulong key)
    {
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int round = 0; round < 10; round++)
        {
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
            k0 += W0;
            k1 += W1;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>The block of element <paramref name="index"/> in redraw <paramref name="round"/>: counter (index, round).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint, uint, uint, uint) Element(ulong seed, ulong index, uint round = 0) =>
        Block((uint)index, (uint)(index >> 32), round, 0, seed);

    /// <summary>A double in [0, 1) from the top 53 of 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double UnitInterval(uint high, uint low) => ((((ulong)high << 32) | low) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) for element <paramref name="index"/>: words 0 and 1 of its block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Uniform(ulong seed, ulong index)
    {
        var (w0, w1, _, _) = Element(seed, index);
        return UnitInterval(w0, w1);
    }

    /// <summary>A standard normal for element <paramref name="index"/> in redraw <paramref name="round"/> (Box–Muller, cosine branch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Normal(ulong seed, ulong index, uint round = 0)
    {
        var (w0, w1, w2, w3) = Element(seed, index, round);
        double u1 = 1.0 - UnitInterval(w0, w1); // (0, 1]: the logarithm stays finite
        double u2 = UnitInterval(w2, w3);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A standard normal within two standard deviations: redraws (round 1, 2, …) until one lands inside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double TruncatedNormal(ulong seed, ulong index)
    {
        for (uint round = 0; ; round++)
        {
            double z = Normal(seed, index, round);
            if (Math.Abs(z) <= 2) return z;
        }
    }

    /// <summary>The value a backend stores at element <paramref name="index"/> for <paramref name="distribution"/> with parameters (a, b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sample(RandomDistribution distribution, ulong seed, ulong index, double a, double b) => distribution switch
    {
        RandomDistribution.Uniform => a + (b - a) * Uniform(seed, index),
        RandomDistribution.Normal => a + b * Normal(seed, index),
        RandomDistribution.TruncatedNormal => a + b * TruncatedNormal(seed, index),
        _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "Unknown distribution."),
    };
}
