using Descent.Backends;
using Descent.Cuda.Emulation;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

/// <summary>
/// The CUDA backend: every primitive is a generated CUDA C kernel (compiled by NVRTC on first use, cached on disk),
/// or cuBLAS for matrix products, queued on the device's one stream. Nothing waits for the GPU except a download
/// (and <see cref="Synchronize"/>). Kernels take every operand through its collapsed layout, so views reach them
/// without copies. It refuses buffers of any other backend (or another GPU), and checks the promises the ops make to
/// it (dtypes, shapes) before it queues anything, since a kernel cannot throw.
/// </summary>
internal sealed partial class CudaBackend : IBackend
{
    /// <summary>Threads per block of the one-dimensional (grid-stride) kernels.</summary>
    private const int Threads = 256;

    // The CPU pool's rule, scaled to a GPU: collect on a cache miss once 256 MiB were lent since the last collection
    // (or eight times the request), or once 1 GiB is out and half that was lent since. Blocks that come back are
    // cached without limit, as PyTorch's allocator does; running out of memory empties the cache.
    private const long MissBudget = 256L << 20;
    private const long LoanBudget = 1L << 30;

    private readonly IGpu _gpu;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<KernelKey, Lazy<LoadedKernel>> _kernels = new();
    private readonly bool _poison;

    /// <summary>Opens GPU <paramref name="ordinal"/> through the driver, or the CPU emulation when DESCENT_CUDA_EMULATE=1 asks for it.</summary>
    public static CudaBackend Open(int ordinal) => new(EmulatedGpu.Requested ? EmulatedGpu.Open(ordinal) : DriverGpu.Open(ordinal), ordinal);

    internal CudaBackend(IGpu gpu, int ordinal, long missBudget = MissBudget, long loanBudget = LoanBudget)
    {
        _gpu = gpu;
        Device = new Device("cuda", ordinal, this);
        Allocator = new CachingAllocator(gpu, Device.ToString(), missBudget, loanBudget, cacheLimit: long.MaxValue / 4);
        // Debugging aid: buffers nobody zeroed start as all ones (NaN, -1, true), so a kernel that leaves elements
        // unwritten shows it instead of leaving a previous tensor's plausible values.
        _poison = Environment.GetEnvironmentVariable("DESCENT_CUDA_POISON") is "1" or "true";
    }

    public string Name => Device.ToString();

    public Device Device { get; }

    /// <summary>The GPU, its architecture and where its libraries came from.</summary>
    public string Description => _gpu.Description;

    internal CachingAllocator Allocator { get; }

    internal IGpu Gpu => _gpu;

    public Storage Allocate(DType dtype, int length, bool zeroed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var block = Allocator.Allocate((long)length * CTypes.Size(dtype), _gpu.Stream, $"a {dtype.Name()} buffer of {length} elements");
        var storage = new CudaStorage(this, dtype, length, block);
        if (zeroed || _poison) _gpu.Memset(storage.Pointer, zeroed ? (byte)0 : (byte)0xFF, storage.Bytes, "Allocate");
        return storage;
    }

    /// <summary>A scratch buffer for one primitive; it goes back to the cache when the storage is collected.</summary>
    private CudaStorage Scratch(DType dtype, int length) => (CudaStorage)Allocate(dtype, length, zeroed: false);

    /// <summary>The buffer as this backend's own, or an exception naming the op and the device it came from.</summary>
    private CudaStorage Own(Storage storage, string op) =>
        storage is CudaStorage own && ReferenceEquals(own.Backend, this)
            ? own
            : throw new ArgumentException($"{op}: the {Name} backend was given a {storage.Backend.Name} buffer; move the tensor to {Name} first.");

    private static void Expect(string op, DType dtype, params ReadOnlySpan<Storage?> buffers)
    {
        foreach (var buffer in buffers)
            if (buffer is not null && buffer.DType != dtype)
                throw new ArgumentException($"{op}: expected {dtype.Name()} buffers, got {buffer.DType.Name()}.");
    }

    /// <summary>Identifies a generated kernel by its family and the numbers that shape it (op, dtypes, ranks, variant).</summary>
    internal readonly record struct KernelKey(string Family, int A = 0, int B = 0, int C = 0, int D = 0, int E = 0);

    /// <summary>
    /// The kernel for <paramref name="key"/>, generated and loaded on first use. <paramref name="make"/> should be a
    /// static lambda. Different kernels compile at the same time on different threads; one kernel compiles once.
    /// </summary>
    private LoadedKernel Kernel(KernelKey key, Func<KernelKey, KernelSpec> make)
    {
        if (_kernels.TryGetValue(key, out var loaded)) return loaded.Value;
        return _kernels.GetOrAdd(key, k => new Lazy<LoadedKernel>(() => _gpu.Load(make(k)))).Value;
    }

    /// <summary>Queues a grid-stride kernel over <paramref name="n"/> elements; nothing for n = 0.</summary>
    private void Launch(LoadedKernel kernel, int n, KernelArgs args, string op)
    {
        if (n <= 0) return;
        _gpu.Launch(kernel, (Blocks(n, Threads), 1, 1), Threads, 0, args, op);
        args.Clear();
    }

    /// <summary>Blocks for a grid-stride loop: enough to fill the device many times over, no more.</summary>
    private uint Blocks(long work, int perBlock) => (uint)Math.Clamp((work + perBlock - 1) / perBlock, 1, _gpu.Multiprocessors * 32L);
}
