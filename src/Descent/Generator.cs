using Descent.Backends;

namespace Descent;

/// <summary>
/// A seeded random stream: Philox 4x32-10 keyed by the seed, one counter per draw. Random tensors take a
/// range of counters and let the device compute them, so host draws (<see cref="NextDouble"/>) and tensor
/// elements come from one sequence: <c>RandomUniform([n], g)</c> holds what n calls of <c>NextDouble</c>
/// would have returned. The same seed gives the same numbers on every machine, device and thread count,
/// which <see cref="System.Random"/> does not promise.
/// </summary>
public sealed class Generator
{
    private ulong _offset;

    /// <summary>Creates a generator whose whole sequence is fixed by <paramref name="seed"/>.</summary>
    public Generator(long seed) => Seed = unchecked((ulong)seed);

    /// <summary>The Philox key.</summary>
    public ulong Seed { get; }

    /// <summary>How many counters have been used: the index of the next draw.</summary>
    public ulong Offset => _offset;

    /// <summary>Reserves <paramref name="count"/> counters and returns the first (for a device to fill a tensor from).</summary>
    public ulong Skip(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ulong first = _offset;
        _offset += (ulong)count;
        return first;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var (w0, w1, _, _) = Philox.Element(Seed, _offset++);
        return ((ulong)w0 << 32) | w1;
    }

    /// <summary>A uniform double in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => Philox.Uniform(Seed, _offset++);

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

    /// <summary>A standard normal sample (Box–Muller on one counter's block).</summary>
    public double NextNormal() => Philox.Normal(Seed, _offset++);

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
}
