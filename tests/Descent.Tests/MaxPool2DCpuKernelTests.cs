using Descent.Backends;
using Descent.Backends.Cpu;

namespace Descent.Tests;

/// <summary>The CPU backend's max-pooling kernel rejects bad buffers.</summary>
public class MaxPool2DCpuKernelTests
{
    [Fact]
    public void Backend_kernel_rejects_a_wrong_argmax_buffer_and_empty_windows()
    {
        var cpu = CpuBackend.Instance;
        var x = cpu.Allocate(DType.Float32, 16, zeroed: true);
        var y = cpu.Allocate(DType.Float32, 4, zeroed: true);
        var g = new Conv2DGeometry(1, 4, 4, 1, 2, 2, 1, 2, 2, 1, 1, 0, 0, 2, 2);
        var e = Assert.Throws<ArgumentException>(() => cpu.MaxPool2D(x, Layout.Contiguous([1, 4, 4, 1]), y, cpu.Allocate(DType.Int64, 4, true), g));
        Assert.Contains("MaxPool2D: argmax must be an int32 buffer of 4 elements, got int64", e.Message);
        // Padding of 2 before a 2x2 window leaves the first window outside the image.
        var outside = g with { PadTop = 2 };
        e = Assert.Throws<ArgumentException>(() => cpu.MaxPool2D(x, Layout.Contiguous([1, 4, 4, 1]), y, cpu.Allocate(DType.Int32, 4, true), outside));
        Assert.Contains("MaxPool2D: output pixel (0, 0) has a window with no input cell in it", e.Message);
    }
}
