using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

/// <summary>A kernel ready to launch: its generated spec and the driver's function handle (0 on a fake device).</summary>
internal sealed record LoadedKernel(KernelSpec Spec, nint Function);

/// <summary>
/// One column-major strided-batched GEMM as cuBLAS takes it: C = op(A)·op(B) for each of <see cref="Batch"/>
/// matrices, with element strides between batches (0 repeats one matrix). Pointers are device addresses.
/// </summary>
internal readonly record struct GemmCall(DType DType, bool TransposeA, bool TransposeB, int M, int N, int K,
    ulong A, int Lda, long StrideA, ulong B, int Ldb, long StrideB, ulong C, int Ldc, long StrideC, int Batch, bool Tf32);

/// <summary>
/// What the backend needs from a GPU: memory, copies, kernel launches and GEMMs on the device's one stream. The
/// driver-backed implementation is <see cref="DriverGpu"/>; tests give a fake that keeps memory on the host and
/// records launches, so every primitive's host-side logic runs without a GPU. The op arguments name
/// the primitive for error messages.
/// </summary>
internal interface IGpu : IDeviceMemory
{
    /// <summary>"NVIDIA H200, sm_90, 132 multiprocessors, 139.8 GiB".</summary>
    string Description { get; }

    /// <summary>Compute capability as one number: 90 for 9.0.</summary>
    int Architecture { get; }

    int Multiprocessors { get; }

    /// <summary>The device's one stream; the allocator keys its cache by it.</summary>
    nint Stream { get; }

    /// <summary>Makes the device's context current on the calling thread (driver calls need it).</summary>
    void MakeCurrent();

    void Upload(ulong destination, ReadOnlySpan<byte> source, string op);

    /// <summary>Waits for the stream, then copies.</summary>
    void Download(ulong source, Span<byte> destination, string op);

    void CopyDevice(ulong destination, ulong source, long bytes, string op);

    void Memset(ulong destination, byte value, long bytes, string op);

    /// <summary>Compiles (or finds in the caches) and loads <paramref name="spec"/>.</summary>
    LoadedKernel Load(KernelSpec spec);

    void Launch(LoadedKernel kernel, (uint X, uint Y, uint Z) grid, uint block, uint sharedBytes, KernelArgs args, string op);

    void Gemm(in GemmCall call, string op);
}
