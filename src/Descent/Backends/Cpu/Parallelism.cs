using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

/// <summary>
/// Splits work into chunks whose boundaries depend only on the problem size, never on the thread count,
/// so every result (reductions included) is bit-identical however many threads run.
/// </summary>
public static class Parallelism
{
    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>The most threads a kernel uses (default: the processor count).</summary>
    public static int MaxThreads
    {
        get => _maxThreads;
        set => _maxThreads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Parallelism.MaxThreads: must be at least 1.");
    }

    /// <summary>Elementwise work below this many elements stays on the calling thread.</summary>
    internal const int ElementThreshold = 1 << 16;

    /// <summary>Runs body(start, end) over [0, count) in chunks of <paramref name="grain"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void For(int count, int grain, Action<int, int> body)
    {
        int chunks = (count + grain - 1) / grain;
        if (chunks <= 1 || _maxThreads == 1)
        {
            for (int c = 0; c < chunks; c++) body(c * grain, Math.Min(count, (c + 1) * grain));
            return;
        }
        // The dedicated team starts in microseconds; Parallel.For is the fallback when another job holds it.
        if (WorkerTeam.TryAcquire() is { } team)
        {
            try
            {
                // Chunks go to whichever member is free, so a worker that wakes late costs nothing but its share.
                team.RunChunks(chunks, Math.Min(team.Size, _maxThreads),
                    c => body(c * grain, Math.Min(count, (c + 1) * grain)));
            }
            finally
            {
                team.Release();
            }
            return;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = _maxThreads };
        Parallel.For(0, chunks, options, c => body(c * grain, Math.Min(count, (c + 1) * grain)));
    }
}
