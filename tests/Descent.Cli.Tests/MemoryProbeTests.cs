using Descent.Cli.Bench;
using Xunit.Abstractions;

namespace Descent.Cli.Tests;

/// <summary>
/// A long run of <see cref="FitStep"/> holds each device's memory flat after warm-up, by the allocator's own count
/// (<see cref="Device.Memory"/>), never the process's peak working set, which can only rise. The count is
/// process-wide, so these run alone, after the other tests (<see cref="TrainingCollection"/>).
/// </summary>
[Collection(TrainingCollection.Name)]
public class MemoryProbeTests(ITestOutputHelper output)
{
    /// <summary>
    /// What grew after warm-up beyond one step's allocation, or null when memory held flat. Allocated bytes are a
    /// sawtooth: dead tensors' buffers wait for the collector until the allocator's budget (64 MB lent since its last
    /// collection) makes it collect. A crest is then the bytes live at the last collection plus about the budget. Those
    /// live bytes are the model's plus whatever of the step in flight was still in use, between none and all of one
    /// step's allocation, so crests can differ by up to <see cref="MemoryReport.BytesPerStep"/> wherever the collections
    /// fall. Reserved bytes grow only when a higher crest needs fresh buffers, so the same bound holds. A leak passes it
    /// once it has kept one step's allocation: on the CPU run, a leak of one pooled buffer (4 KB) a step does that well
    /// within the 9,500 steps after warm-up.
    /// </summary>
    private static string? Growth(MemoryReport report)
    {
        var (warmup, end) = (report.Warmup, report.End);
        long tolerance = report.BytesPerStep;
        if (end.PeakAllocatedBytes > warmup.PeakAllocatedBytes + tolerance)
            return $"{report.Device}: peak allocated {end.PeakAllocatedBytes:N0} B after warm-up, {warmup.PeakAllocatedBytes:N0} B during it";
        // Without a cache (the reference device: reserved is what is allocated) reserved bytes ride the same sawtooth,
        // and two points on it say nothing; their crests are the peak, checked above.
        bool caches = end.ReservedBytes != end.AllocatedBytes || warmup.ReservedBytes != warmup.AllocatedBytes;
        if (caches && end.ReservedBytes > warmup.ReservedBytes + tolerance)
            return $"{report.Device}: reserved {end.ReservedBytes:N0} B at the end, {warmup.ReservedBytes:N0} B after warm-up";
        return null;
    }

    [Fact]
    public void Ten_thousand_fit_steps_on_the_cpu_hold_memory_flat_after_warm_up()
    {
        var report = MemoryProbe.Run(Device.Cpu, steps: 10_000, warmup: 500);
        output.WriteLine(report.ToString());
        Assert.Null(Growth(report));
        Assert.True(report.BytesPerStep > 0 && report.End.ReservedBytes >= report.End.AllocatedBytes, report.ToString());
    }

    // A reference step runs scalar loops, a fifth to half a second for this model on a loaded 2-core machine, so CI
    // runs 150 steps, not 10,000. With Adam fused, a step allocates 3.5 MB, so the 50 of warm-up span about three of
    // the allocator's 64 MB collections, enough for the warm-up's peak to be a typical crest, and the 100 after it
    // about five. (With 10 steps of warm-up, as when a step allocated 26 MB, no collection fell inside it.)
    [Fact]
    public void Fit_steps_on_the_reference_device_hold_memory_flat_after_warm_up()
    {
        var report = MemoryProbe.Run(Device.Reference, steps: 150, warmup: 50);
        output.WriteLine(report.ToString());
        Assert.Null(Growth(report));
        Assert.True(report.BytesPerStep > 0 && report.End.ReservedBytes == report.End.AllocatedBytes, report.ToString());
    }

    // The same check on a step that keeps a 1024 x 1024 float32 tensor every step (4 MB, 8 MB on the reference device),
    // as a history list holding device tensors would, must report the growth: it passes a step's allocation (13 MB on
    // the CPU, 26 MB on the reference device, plus the kept tensor) within a few steps.
    [Theory]
    [InlineData("cpu", 40, 10)]
    [InlineData("reference", 15, 5)]
    public void A_step_that_keeps_tensors_shows_as_growth(string name, int steps, int warmup)
    {
        var device = Device.Parse(name);
        var fit = new FitStep(device: device);
        var kept = new List<Tensor>();
        var report = MemoryProbe.Run(device, steps, warmup, () =>
        {
            fit.Step();
            kept.Add(Tensor.Zeros([1024, 1024], device: device));
        });
        output.WriteLine(report.ToString());
        Assert.NotNull(Growth(report));
        Assert.Equal(steps, kept.Count);
    }
}
