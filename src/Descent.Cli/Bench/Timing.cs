using System.Diagnostics;
using System.Runtime;

namespace Descent.Cli.Bench;

/// <summary>
/// The peer's methodology: warm up, then the best of several rounds of <c>reps</c> calls. The peer warms up with one
/// call; .NET needs longer to reach the code a long-running program runs.
/// </summary>
internal static class Timing
{
    // Under .NET's default tiered compilation a method starts in unoptimised tier-0 code and is recompiled in the
    // background after 30 calls and a pause of 100 ms in JIT activity. The kernels skip tier 0, but the per-op code
    // around them does not; a case that runs for only a few milliseconds would be measured in tier-0 code.
    private static readonly TimeSpan QuietTime = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Seconds per call. On an asynchronous device <paramref name="wait"/> (the device's Synchronize) runs after the
    /// warm-up and at the end of each round, inside the timed span, so the clock covers the work and not only its
    /// queueing, as torch.cuda.synchronize() does for the peer.
    /// </summary>
    public static double BestOf(Action run, int reps, int rounds = 5, Action? wait = null)
    {
        WarmUp(run);
        wait?.Invoke();
        double best = double.PositiveInfinity;
        for (int r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++) run();
            wait?.Invoke();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / reps);
        }
        return best;
    }

    /// <summary>Runs <paramref name="run"/> at least once, and again until the JIT has compiled nothing for <see cref="QuietTime"/> (at most <see cref="MaxWarmUp"/>).</summary>
    public static int WarmUp(Action run)
    {
        var clock = Stopwatch.StartNew();
        long compiled = JitInfo.GetCompiledMethodCount();
        var quietSince = TimeSpan.Zero;
        int calls = 0;
        do
        {
            run();
            calls++;
            long now = JitInfo.GetCompiledMethodCount();
            if (now != compiled) (compiled, quietSince) = (now, clock.Elapsed);
        }
        while (clock.Elapsed - quietSince < QuietTime && clock.Elapsed < MaxWarmUp);
        return calls;
    }
}
