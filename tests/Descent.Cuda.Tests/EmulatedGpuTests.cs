using Descent.Cuda.Backend;
using Descent.Cuda.Emulation;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Tests;

/// <summary>A fact that is skipped, with the reason, where no C++ compiler can build emulated kernels.</summary>
public sealed class EmulationFactAttribute : FactAttribute
{
    public EmulationFactAttribute()
    {
        if (EmulatedGpuTests.WhyAbsent is { } reason) Skip = reason;
    }
}

/// <summary>The CUDA emulation's own refusals: no compiler, launches a GPU refuses, and kernels that write out of bounds.</summary>
public class EmulatedGpuTests
{
    internal static readonly string? WhyAbsent = Probe();

    private static string? Probe()
    {
        try
        {
            _ = new HostKernelCompiler(null);
            return null;
        }
        catch (CudaException e)
        {
            return e.Message;
        }
    }

    // y[i] = i for i <= n: one element too many, so it writes past the end of a buffer of n.
    private static readonly KernelSpec OneTooMany = new("one_too_many", [KernelParam.Int("n"), KernelParam.Out("y", "int")],
        CTypes.GridLoop("n + 1", "y[i] = i;"));

    private static readonly KernelSpec InBounds = new("in_bounds", [KernelParam.Int("n"), KernelParam.Out("y", "int")],
        CTypes.GridLoop("n", "y[i] = i;"));

    [Fact]
    public void Without_a_compiler_it_names_every_one_it_tried()
    {
        var e = Assert.Throws<CudaException>(() => new HostKernelCompiler(null, ["no-such-cxx-1", "no-such-cxx-2"]));
        Assert.Equal("CUDA emulation (DESCENT_CUDA_EMULATE) needs a C++ compiler; tried no-such-cxx-1, no-such-cxx-2 (set CXX to name one).", e.Message);
    }

    [Fact]
    public void It_has_one_device()
    {
        var e = Assert.Throws<ArgumentException>(() => EmulatedGpu.Open(1));
        Assert.Equal("Device: there is no cuda:1; the CUDA emulation (DESCENT_CUDA_EMULATE) has one device, cuda:0.", e.Message);
    }

    [EmulationFact]
    public void A_kernel_runs_and_a_write_past_the_end_fails_its_op_naming_the_buffer()
    {
        var gpu = EmulatedGpu.Open(0, compiler: new HostKernelCompiler(null));
        ulong y = gpu.TryAllocate(10 * sizeof(int));
        gpu.Launch(gpu.Load(InBounds), (1, 1, 1), 32, 0, KernelArgs.Start().Int(10).Pointer(y), "Test");
        var values = new byte[10 * sizeof(int)];
        gpu.Download(y, values, "Test");
        Assert.Equal(Enumerable.Range(0, 10), Enumerable.Range(0, 10).Select(i => BitConverter.ToInt32(values, 4 * i)));

        var e = Assert.Throws<CudaException>(() => gpu.Launch(gpu.Load(OneTooMany), (1, 1, 1), 32, 0, KernelArgs.Start().Int(10).Pointer(y), "Test"));
        Assert.Equal("CUDA emulation: Test (one_too_many) wrote past the end of its buffer 'y' (40 bytes).", e.Message);
    }

    [EmulationFact]
    public void A_launch_a_gpu_refuses_is_refused_before_it_runs()
    {
        var gpu = EmulatedGpu.Open(0, compiler: new HostKernelCompiler(null));
        ulong y = gpu.TryAllocate(4);
        var kernel = gpu.Load(InBounds);
        var e = Assert.Throws<CudaException>(() => gpu.Launch(kernel, (1, 1, 1), 2048, 0, KernelArgs.Start().Int(1).Pointer(y), "Test"));
        Assert.Equal("CUDA emulation: Test (in_bounds) launched with grid (1, 1, 1) and 2048 threads a block, which a GPU refuses.", e.Message);
        e = Assert.Throws<CudaException>(() => gpu.Launch(kernel, (1, 1, 1), 32, 64 * 1024, KernelArgs.Start().Int(1).Pointer(y), "Test"));
        Assert.StartsWith("CUDA emulation: Test (in_bounds) asked for 65536 bytes of dynamic shared memory", e.Message);
    }
}
