using System.Diagnostics;

namespace Descent.Cli.Bench;

/// <summary>The peer's methodology: one warm-up call, then the best of several rounds of <c>reps</c> calls.</summary>
internal static class Timing
{
    public static double BestOf(Action run, int reps, int rounds = 5)
    {
        run();
        double best = double.PositiveInfinity;
        for (int r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++) run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / reps);
        }
        return best;
    }
}
