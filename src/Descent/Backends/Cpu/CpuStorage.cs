using System.Buffers;
using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

/// <summary>
/// A managed array on the CPU. Large buffers are rented from <see cref="ArrayPool{T}"/> and go back to it
/// when the storage is collected, so a training loop at steady state reuses its buffers instead of
/// allocating on the large-object heap (whose collections are gen-2 collections).
/// </summary>
internal sealed class CpuStorage : Storage
{
    /// <summary>Buffers at least this long come from the pool; smaller ones are cheap gen-0 allocations.</summary>
    internal const int PoolThreshold = 1024;

    private readonly bool _pooled;

    internal Array Data { get; }

    public override DType DType { get; }
    public override int Length { get; }
    public override IBackend Backend => CpuBackend.Instance;

    private CpuStorage(Array data, DType dtype, int length, bool pooled)
    {
        Data = data;
        DType = dtype;
        Length = length;
        _pooled = pooled;
    }

    /// <summary>Wraps an array the caller hands over; it is never returned to a pool.</summary>
    internal static CpuStorage Wrap<T>(T[] data, int length) where T : unmanaged =>
        new(data, DTypes.Of<T>(), length, pooled: false);

    internal static CpuStorage Allocate(DType dtype, int length, bool zeroed) => dtype switch
    {
        DType.Float32 => Rent<float>(length, zeroed),
        DType.Float64 => Rent<double>(length, zeroed),
        DType.Int32 => Rent<int>(length, zeroed),
        DType.Int64 => Rent<long>(length, zeroed),
        DType.Bool => Rent<bool>(length, zeroed),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    private static CpuStorage Rent<T>(int length, bool zeroed) where T : unmanaged
    {
        if (length < PoolThreshold) return new CpuStorage(new T[length], DTypes.Of<T>(), length, pooled: false);
        var array = ArrayPool<T>.Shared.Rent(length);
        if (zeroed) System.Array.Clear(array, 0, length);
        return new CpuStorage(array, DTypes.Of<T>(), length, pooled: true);
    }

    /// <summary>The backing array, typed. The caller has checked the dtype.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T[] Array<T>() => Unsafe.As<T[]>(Data);

    ~CpuStorage()
    {
        if (!_pooled) return;
        switch (Data)
        {
            case float[] f: ArrayPool<float>.Shared.Return(f); break;
            case double[] d: ArrayPool<double>.Shared.Return(d); break;
            case int[] i: ArrayPool<int>.Shared.Return(i); break;
            case long[] l: ArrayPool<long>.Shared.Return(l); break;
            case bool[] b: ArrayPool<bool>.Shared.Return(b); break;
        }
    }
}
