using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

/// <summary>
/// A managed array on the CPU. Large buffers are rented from the backend's <see cref="BufferPool"/> and go
/// back to it when the storage is collected, so a training loop at steady state reuses its buffers instead of
/// allocating on the large-object heap (whose collections are gen-2 collections).
/// </summary>
internal class CpuStorage : Storage
{
    /// <summary>Buffers at least this long come from the pool; smaller ones are cheap gen-0 allocations.</summary>
    internal const int PoolThreshold = 1024;

    internal Array Data { get; }

    public override DType DType { get; }
    public override int Length { get; }
    public override IBackend Backend => CpuBackend.Instance;

    private protected CpuStorage(Array data, DType dtype, int length)
    {
        Data = data;
        DType = dtype;
        Length = length;
    }

    /// <summary>Wraps an array the caller hands over; it is never returned to a pool.</summary>
    internal static CpuStorage Wrap<T>(T[] data, int length) where T : unmanaged =>
        new(data, DTypes.Of<T>(), length);

    /// <summary>A buffer of <paramref name="length"/> elements; a large one comes from <paramref name="pool"/> unless it is null.</summary>
    internal static CpuStorage Allocate(DType dtype, int length, bool zeroed, BufferPool? pool) => dtype switch
    {
        DType.Float32 => Rent<float>(length, zeroed, pool),
        DType.Float64 => Rent<double>(length, zeroed, pool),
        DType.Int32 => Rent<int>(length, zeroed, pool),
        DType.Int64 => Rent<long>(length, zeroed, pool),
        DType.Bool => Rent<bool>(length, zeroed, pool),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    private static CpuStorage Rent<T>(int length, bool zeroed, BufferPool? pool) where T : unmanaged
    {
        if (length < PoolThreshold || pool is null) return new CpuStorage(new T[length], DTypes.Of<T>(), length);
        var array = pool.Rent<T>(length);
        if (zeroed) System.Array.Clear(array, 0, length);
        return new PooledCpuStorage(pool, array, DTypes.Of<T>(), length);
    }

    /// <summary>The backing array, typed. The caller has checked the dtype.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T[] Array<T>() => Unsafe.As<T[]>(Data);
}

/// <summary>
/// A buffer rented from a pool. Only these carry a finalizer (which hands the array back to its pool), so
/// the many small tensors of a training step cost the GC nothing extra.
/// </summary>
internal sealed class PooledCpuStorage : CpuStorage
{
    private readonly BufferPool _pool;

    internal PooledCpuStorage(BufferPool pool, Array data, DType dtype, int length) : base(data, dtype, length) => _pool = pool;

    ~PooledCpuStorage() => _pool.Return(Data, Length, Data switch
    {
        float[] or int[] => 4,
        double[] or long[] => 8,
        _ => 1,
    });
}
