using Descent.Backends;

namespace Descent.Cli.Bench;

/// <summary>
/// What <c>descent bench --memory</c> reports: the device allocator's numbers (<see cref="Device.Memory"/>) after
/// the warm-up steps, with the peak over the warm-up, and at the end, with the peak since the warm-up. Memory is
/// flat when the later peak does not pass the warm-up's.
/// </summary>
internal sealed record MemoryReport(string Device, int Steps, int WarmupSteps, MemoryStats Warmup, MemoryStats End,
    int Gen2CollectionsAfterWarmup, int Gen0CollectionsAfterWarmup);

/// <summary>Runs many training steps on a device and reads its allocator's high-water mark during and after warm-up.</summary>
internal static class MemoryProbe
{
    /// <summary>
    /// <paramref name="steps"/> calls of <paramref name="step"/> (by default one <see cref="FitStep"/> each) on
    /// <paramref name="device"/>, the first <paramref name="warmup"/> of them warm-up.
    /// </summary>
    public static MemoryReport Run(Device device, int steps = 10_000, int warmup = 500, Action? step = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, warmup);
        if (step is null)
        {
            var fit = new FitStep(device: device);
            step = () => fit.Step();
        }
        // Garbage from earlier work would otherwise be finalized during the run and blur the warm-up's numbers.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        device.ResetPeakMemory();
        for (int i = 0; i < warmup; i++) step();
        var afterWarmup = device.Memory;
        device.ResetPeakMemory();
        int gen2 = GC.CollectionCount(2), gen0 = GC.CollectionCount(0);
        for (int i = warmup; i < steps; i++) step();
        var end = device.Memory;
        return new MemoryReport(device.ToString(), steps, warmup, afterWarmup, end,
            GC.CollectionCount(2) - gen2, GC.CollectionCount(0) - gen0);
    }
}
