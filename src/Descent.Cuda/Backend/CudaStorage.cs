using Descent.Backends;

namespace Descent.Cuda.Backend;

/// <summary>
/// A buffer in GPU memory, lent by the backend's <see cref="CachingAllocator"/>. Its finalizer hands the block back
/// (users never call Dispose); kernels already queued on the device's stream that read it still run first, because
/// the next user of the block is queued after them.
/// </summary>
internal sealed class CudaStorage : Storage
{
    private readonly CudaBackend _backend;
    private readonly DeviceBlock _block;

    internal CudaStorage(CudaBackend backend, DType dtype, int length, DeviceBlock block)
    {
        _backend = backend;
        DType = dtype;
        Length = length;
        _block = block;
    }

    ~CudaStorage() => _backend.Allocator.Release(_block);

    public override DType DType { get; }
    public override int Length { get; }
    public override IBackend Backend => _backend;

    /// <summary>The device address of element 0 (0 for an empty buffer).</summary>
    public ulong Pointer => _block.Pointer;

    /// <summary>The device address of element <paramref name="index"/>.</summary>
    public ulong At(int index) => _block.Pointer + (ulong)((long)index * Kernels.CTypes.Size(DType));

    public long Bytes => (long)Length * Kernels.CTypes.Size(DType);
}
