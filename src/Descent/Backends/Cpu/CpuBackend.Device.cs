using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

// The device half: host memory is device memory here, so transfers are copies and nothing is asynchronous.
public sealed partial class CpuBackend
{
    // Large buffers are rented from and returned to this backend's own pool; small ones are plain arrays.
    private readonly BufferPool _pool = new();

    /// <summary>The pool kernels rent scratch buffers from (and return them to), so the memory stats see them too.</summary>
    internal BufferPool Pool => _pool;

    /// <inheritdoc/>
    public Device Device { get; }

    /// <summary>The pool's numbers: arrays of at least <see cref="CpuStorage.PoolThreshold"/> elements on loan to storages (and kernels' scratch), and those cached.</summary>
    public MemoryStats Memory => _pool.Stats;

    /// <inheritdoc/>
    public void ResetPeakMemory() => _pool.ResetPeak();

    /// <inheritdoc/>
    public void Upload<T>(ReadOnlySpan<T> source, Storage destination) where T : unmanaged =>
        source.CopyTo(Typed<T>(destination, "Upload"));

    /// <inheritdoc/>
    public void Download<T>(Storage source, int offset, Span<T> destination) where T : unmanaged =>
        Typed<T>(source, "Download").AsSpan(offset, destination.Length).CopyTo(destination);

    /// <inheritdoc/>
    public void Synchronize() { }

    /// <inheritdoc/>
    public void Random(RandomDistribution distribution, ulong seed, ulong offset, double a, double b, Storage y)
    {
        switch (y.DType)
        {
            case DType.Float32: FillRandom(Cpu(y).Array<float>(), y.Length, i => (float)Philox.Sample(distribution, seed, offset + (ulong)i, a, b)); break;
            case DType.Float64: FillRandom(Cpu(y).Array<double>(), y.Length, i => Philox.Sample(distribution, seed, offset + (ulong)i, a, b)); break;
            default: throw new ArgumentException($"Random: dtype must be float32 or float64, got {y.DType.Name()}.");
        }
    }

    // Each element depends only on its own counter, so any partition gives the same tensor.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillRandom<T>(T[] y, int n, Func<int, T> sample)
    {
        const int Grain = 1 << 12;
        if (n < Grain * 2) { for (int i = 0; i < n; i++) y[i] = sample(i); return; }
        Parallelism.For(n, Grain, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => { for (int i = s; i < e; i++) y[i] = sample(i); });
    }

    /// <inheritdoc/>
    public void Verify(Storage condition, Func<Exception> failure)
    {
        if (condition.DType != DType.Bool || condition.Length < 1)
            throw new ArgumentException($"Verify: expects a bool scalar, got {condition.DType.Name()} of length {condition.Length}.");
        if (!Cpu(condition).Array<bool>()[0]) throw failure();
    }

    private static T[] Typed<T>(Storage storage, string op) where T : unmanaged
    {
        if (storage.DType != DTypes.Of<T>())
            throw new ArgumentException($"{op}: the buffer holds {storage.DType.Name()}, not {DTypes.Of<T>().Name()}.");
        return Cpu(storage).Array<T>();
    }
}
