using Descent.Cuda.Backend;

namespace Descent.Cuda;

/// <summary>What a CUDA device is, for reports: its name, architecture, memory and where its libraries came from.</summary>
public static class CudaDevices
{
    /// <summary>"NVIDIA H200, sm_90, 132 multiprocessors, 139.8 GiB, NVRTC 13.0 (sm_90) from …, cuBLAS from …".</summary>
    public static string Describe(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Backend is CudaBackend cuda ? cuda.Description : throw new ArgumentException($"CudaDevices.Describe: {device} is not a CUDA device.");
    }
}
