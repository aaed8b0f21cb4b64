namespace Descent;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
/// The same seed gives the same sequence on every machine and every .NET version,
/// which <see cref="System.Random"/> does not promise.
/// </summary>
public sealed class Generator
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    /// <summary>Creates a generator whose whole sequence is fixed by <paramref name="seed"/>.</summary>
    public Generator(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1), with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "NextInt: the bound must be positive.");
        // Lemire's multiply-shift with rejection: unbiased and branch-light.
        uint bound = (uint)maxExclusive;
        uint threshold = (0u - bound) % bound;
        while (true)
        {
            ulong m = (NextUInt64() >> 32) * bound;
            if ((uint)m >= threshold)
                return (int)(m >> 32);
        }
    }

    /// <summary>A standard normal sample (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public double NextNormal()
    {
        if (_spareNormal is double spare)
        {
            _spareNormal = null;
            return spare;
        }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spareNormal = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A permutation of 0..n-1.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle<int>(p);
        return p;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
