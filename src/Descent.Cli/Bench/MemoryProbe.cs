using System.Diagnostics;

namespace Descent.Cli.Bench;

/// <summary>What <c>descent bench --memory</c> reports: whether a long training loop reaches a steady state.</summary>
internal sealed record MemoryReport(int Steps, int WarmupSteps, double PeakMegabytesAfterWarmup, double PeakMegabytesAtEnd, int Gen2CollectionsInSteadyState, int Gen0Collections);

/// <summary>Runs many MLP steps and watches the process's peak memory and gen-2 collections after warm-up.</summary>
internal static class MemoryProbe
{
    public static MemoryReport Run(int steps = 10_000, int warmup = 500)
    {
        var mlp = new MlpStep();
        for (int i = 0; i < warmup; i++) mlp.Step();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        double peakAfterWarmup = process.PeakWorkingSet64 / (1024.0 * 1024.0);
        int gen2 = GC.CollectionCount(2), gen0 = GC.CollectionCount(0);
        for (int i = 0; i < steps - warmup; i++) mlp.Step();
        process.Refresh();
        return new MemoryReport(steps, warmup, peakAfterWarmup, process.PeakWorkingSet64 / (1024.0 * 1024.0),
            GC.CollectionCount(2) - gen2, GC.CollectionCount(0) - gen0);
    }
}
