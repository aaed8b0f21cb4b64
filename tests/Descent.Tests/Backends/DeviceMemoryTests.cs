using System.Runtime.CompilerServices;

namespace Descent.Tests.Backends;

/// <summary>
/// Each device's allocator counts its own buffers (<see cref="Device.Memory"/>). These read a process-wide count, so
/// they run alone (<see cref="MemoryCollection"/>) and start from a full collection: no other test's buffers come
/// or go while they look.
/// </summary>
[Collection(MemoryCollection.Name)]
public class DeviceMemoryTests
{
    // A length no other test uses, so the CPU pool has no cached buffer of it before the first allocation.
    private const int Length = 123_457;

    [Theory]
    [InlineData("cpu", 4, true)] // float32 arrays, cached for reuse when their storage dies
    [InlineData("reference", 8, false)] // float32 held as double, nothing cached
    public void A_buffer_counts_as_allocated_until_its_storage_is_collected(string name, int bytesPerElement, bool caches)
    {
        var device = Device.Parse(name);
        long bytes = (long)Length * bytesPerElement;
        Collect();
        var before = device.Memory;

        var storage = Allocate(device);
        var live = device.Memory;
        Assert.Equal(before.AllocatedBytes + bytes, live.AllocatedBytes);
        Assert.True(live.PeakAllocatedBytes >= live.AllocatedBytes, $"peak {live.PeakAllocatedBytes} below allocated {live.AllocatedBytes}");
        GC.KeepAlive(storage);

        storage = null;
        Collect();
        var dead = device.Memory;
        Assert.Equal(before.AllocatedBytes, dead.AllocatedBytes);
        Assert.Equal(live.ReservedBytes - (caches ? 0 : bytes), dead.ReservedBytes);
        Assert.Equal(live.PeakAllocatedBytes, dead.PeakAllocatedBytes);

        // A second buffer of the same length: a caching allocator hands back the first, so reserved stays put.
        storage = Allocate(device);
        Assert.Equal(dead.ReservedBytes + (caches ? 0 : bytes), device.Memory.ReservedBytes);
        GC.KeepAlive(storage);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void Reset_peak_memory_starts_the_peak_from_what_is_allocated_now(string name)
    {
        var device = Device.Parse(name);
        Collect();
        Allocate(device);
        Collect();
        Assert.True(device.Memory.PeakAllocatedBytes > device.Memory.AllocatedBytes, "the dead buffer should still be in the peak");
        device.ResetPeakMemory();
        var reset = device.Memory;
        Assert.Equal(reset.AllocatedBytes, reset.PeakAllocatedBytes);
    }

    [Fact]
    public void Each_device_counts_only_its_own_buffers()
    {
        Collect();
        var reference = Device.Reference.Memory;
        var storage = Allocate(Device.Cpu);
        Assert.Equal(reference, Device.Reference.Memory);
        GC.KeepAlive(storage);
    }

    // Kept out of line so that no JIT-extended local keeps the buffer alive past the caller's last use.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object? Allocate(Device device) => device.Backend.Allocate(DType.Float32, Length, zeroed: false);

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
