using System.Runtime.InteropServices;
using Descent.Backends;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

// The device half: transfers, synchronization, random numbers, deferred checks and memory statistics.
internal sealed partial class CudaBackend
{
    /// <summary>The caching allocator's numbers: blocks lent to storages (and scratch) by size class, and those cached.</summary>
    public MemoryStats Memory => Allocator.Stats;

    public void ResetPeakMemory() => Allocator.ResetPeak();

    public void Upload<T>(ReadOnlySpan<T> source, Storage destination) where T : unmanaged
    {
        var y = Typed<T>(destination, "Upload", source.Length, 0);
        _gpu.Upload(y.Pointer, MemoryMarshal.AsBytes(source), "Upload");
    }

    /// <summary>Waits for the stream, copies, then settles this flow's deferred checks (a failed one throws).</summary>
    public void Download<T>(Storage source, int offset, Span<T> destination) where T : unmanaged
    {
        var x = Typed<T>(source, "Download", destination.Length, offset);
        _gpu.Download(x.At(offset), MemoryMarshal.AsBytes(destination), "Download");
        SettleChecks();
    }

    public void Synchronize()
    {
        _gpu.Synchronize("Synchronize");
        SettleChecks();
    }

    public void Random(RandomDistribution distribution, ulong seed, ulong offset, double a, double b, Storage y)
    {
        var output = Own(y, "Random");
        if (!y.DType.IsFloat()) throw new ArgumentException($"Random: dtype must be float32 or float64, got {y.DType.Name()}.");
        if (output.Length == 0) return;
        if (y.DType == DType.Float64 && distribution != RandomDistribution.Uniform)
        {
            // Normal draws go through log and cos; CUDA's double versions can differ from the host's libm in the last
            // bit, which float64 keeps (float32 rounds it away). Drawn on the host, they are the CPU's bits exactly.
            var host = new double[output.Length];
            Parallel.For(0, host.Length, i => host[i] = Philox.Sample(distribution, seed, offset + (ulong)i, a, b));
            Upload<double>(host, output);
            return;
        }
        var kernel = Kernel(new("random", (int)distribution, (int)y.DType), static k => RandomKernels.Sample((RandomDistribution)k.A, (DType)k.B));
        var args = KernelArgs.Start().Int(output.Length).Pointer(output).Long((long)seed).Long((long)offset).Double(a).Double(b);
        Launch(kernel, output.Length, args, "Random");
    }

    private CudaStorage Typed<T>(Storage storage, string op, int count, int offset) where T : unmanaged
    {
        var own = Own(storage, op);
        if (own.DType != DTypes.Of<T>())
            throw new ArgumentException($"{op}: the buffer holds {own.DType.Name()}, not {DTypes.Of<T>().Name()}.");
        if (offset < 0 || count > own.Length - offset)
            throw new ArgumentException($"{op}: {count} elements from {offset} do not fit a buffer of {own.Length}.");
        return own;
    }

    // ---- Deferred checks ----

    /// <summary>Checks that wait for the next download of the flow (thread or async flow) that queued them.</summary>
    private sealed class PendingChecks(CudaStorage flags)
    {
        public const int Capacity = 256;
        public readonly CudaStorage Flags = flags;
        public readonly List<Func<Exception>> Failures = [];
    }

    // Per flow, so a failed check surfaces in the code whose op failed, never in another test or thread that
    // happens to download first. (An async method that queues the first check of its flow keeps it to itself:
    // AsyncLocal values set inside it do not flow back to its caller.)
    private readonly AsyncLocal<PendingChecks?> _checks = new();

    /// <summary>
    /// Queues a copy of the condition's byte into this flow's flag buffer and remembers the failure; the flags are read
    /// (and a false one thrown) at the flow's next download or synchronize, so a training step pays no extra round trip.
    /// </summary>
    public void Verify(Storage condition, Func<Exception> failure)
    {
        var flag = Own(condition, "Verify");
        if (flag.DType != DType.Bool || flag.Length < 1)
            throw new ArgumentException($"Verify: expects a bool scalar, got {flag.DType.Name()} of length {flag.Length}.");
        var checks = _checks.Value ??= new PendingChecks(Scratch(DType.Bool, PendingChecks.Capacity));
        if (checks.Failures.Count == PendingChecks.Capacity)
        {
            _gpu.Synchronize("Verify");
            SettleChecks();
        }
        _gpu.CopyDevice(checks.Flags.At(checks.Failures.Count), flag.Pointer, 1, "Verify");
        checks.Failures.Add(failure);
        GC.KeepAlive(flag);
    }

    /// <summary>Reads this flow's pending flags (the stream has been synchronized) and throws the first failure.</summary>
    private void SettleChecks()
    {
        var checks = _checks.Value;
        if (checks is null || checks.Failures.Count == 0) return;
        var flags = new byte[checks.Failures.Count];
        _gpu.Download(checks.Flags.Pointer, flags, "Verify");
        var failures = checks.Failures.ToArray();
        checks.Failures.Clear();
        for (int i = 0; i < flags.Length; i++)
            if (flags[i] == 0) throw failures[i]();
    }
}
