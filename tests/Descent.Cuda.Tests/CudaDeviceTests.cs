using Descent.Cuda.Native;

namespace Descent.Cuda.Tests;

/// <summary>A fact that runs only where no CUDA driver loads (CI, this project's development machines).</summary>
public sealed class WithoutGpuFactAttribute : FactAttribute
{
    public WithoutGpuFactAttribute()
    {
        if (CudaDeviceTests.DriverLoads) Skip = "a CUDA driver is installed here; the device-axis suites test the device itself";
    }
}

/// <summary>Device.Cuda() through the plugin: the kind registers itself, and without a GPU the error says what was looked for.</summary>
public class CudaDeviceTests
{
    internal static bool DriverLoads
    {
        get
        {
            try
            {
                _ = CudaLibraries.Driver;
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    [WithoutGpuFact]
    public void Without_a_driver_the_device_error_lists_every_place_it_looked()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Device.Cuda());
        Assert.StartsWith("CUDA: cannot load the CUDA driver API (libcuda.so.1). Tried, in order: ", e.Message);
        Assert.Contains("DESCENT_CUDA_LIBS", e.Message);
        Assert.Contains("libcuda.so.1 by the loader's search", e.Message);
        Assert.Contains("install NVIDIA's display driver", e.Message);
        // Parse goes the same way, for any ordinal.
        Assert.Equal(e.Message, Assert.Throws<InvalidOperationException>(() => Device.Parse("cuda:3")).Message);
    }

    [Fact]
    public void Loading_the_assembly_registers_the_cuda_kind_and_its_settings_start_safe()
    {
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(CudaSettings).Module.ModuleHandle);
        var e = Record.Exception(() => Device.Parse("cuda"));
        // Either a GPU opened, or the backend (not the plugin loader) explained why not.
        Assert.True(e is null || e.Message.StartsWith("CUDA:", StringComparison.Ordinal), e?.Message);
        Assert.False(CudaSettings.AllowTf32);
    }
}
