using Descent.Backends;

namespace Descent.Cli.Bench;

/// <summary>
/// What <c>descent bench --memory</c> reports: the device allocator's numbers (<see cref="Device.Memory"/>) after
/// the warm-up steps, with the peak over the warm-up, and at the end, with the peak since the warm-up; the bytes one
/// step allocates; and the collections after warm-up. Memory is flat when the later peak and reserved bytes do not
/// pass the warm-up's by more than a step's allocation.
/// </summary>
internal sealed record MemoryReport(string Device, int Steps, int WarmupSteps, long BytesPerStep, MemoryStats Warmup, MemoryStats End,
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
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(steps, warmup);
        if (step is null)
        {
            var fit = new FitStep(device: device);
            step = () => fit.Step();
        }
        // Garbage from earlier work would otherwise be finalized during the run and blur the warm-up's numbers.
        Collect();
        device.ResetPeakMemory();
        for (int i = 0; i < warmup; i++) step();
        var afterWarmup = device.Memory;

        // The first step after warm-up begins right after a full collection, so no dead buffer is waiting to come
        // back and the peak's rise over it is what one step allocates.
        Collect();
        long before = device.Memory.AllocatedBytes;
        device.ResetPeakMemory();
        int gen2 = GC.CollectionCount(2), gen0 = GC.CollectionCount(0);
        step();
        long bytesPerStep = device.Memory.PeakAllocatedBytes - before;
        for (int i = warmup + 1; i < steps; i++) step();
        return new MemoryReport(device.ToString(), steps, warmup, bytesPerStep, afterWarmup, device.Memory,
            GC.CollectionCount(2) - gen2, GC.CollectionCount(0) - gen0);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }
}
