using Descent.Backends;

namespace Descent.Cuda;

/// <summary>Raw device memory: what <see cref="CachingAllocator"/> takes from and gives back to (a fake in tests).</summary>
internal interface IDeviceMemory
{
    /// <summary>A fresh block of <paramref name="bytes"/>, or 0 when the device is out of memory.</summary>
    ulong TryAllocate(long bytes);

    void Free(ulong pointer);

    /// <summary>Waits for the device's queued work, so that no kernel still uses a block about to be freed.</summary>
    void Synchronize(string op);

    /// <summary>What the device says is free and in total, for an out-of-memory message.</summary>
    (long Free, long Total) Info();
}

/// <summary>A block lent by <see cref="CachingAllocator"/>: its address, its size class, and the stream it was used on.</summary>
internal readonly record struct DeviceBlock(ulong Pointer, long Bytes, nint Stream);

/// <summary>
/// A caching allocator for one device. Requests are rounded up to size classes (512-byte steps below 1 MiB, then
/// eight classes per power of two, so the waste is at most an eighth), and a block that comes back is cached under
/// its class and the stream it was used on, for the next request of that class on that stream: work queued on one
/// stream runs in order, so a block freed by a finished op is safe to hand to the next. Blocks come back when their
/// storage is finalized (users never call Dispose), and device memory is invisible to the GC, so the allocator asks
/// for collections itself by the rule of <see cref="PoolAccounting"/>, which also keeps <see cref="Stats"/>. When the
/// device is out of memory it collects, looks in the cache again, frees the whole cache and retries once; only then
/// does it throw, naming the size asked for and what is allocated and reserved.
/// </summary>
internal sealed class CachingAllocator
{
    private readonly IDeviceMemory _memory;
    private readonly string _device;
    private readonly PoolAccounting _accounting;
    private readonly Dictionary<(nint Stream, long Bytes), Stack<ulong>> _cache = [];
    private readonly List<DeviceBlock> _toFree = [];
    private readonly object _gate = new();

    public CachingAllocator(IDeviceMemory memory, string device, long missBudget, long loanBudget, long cacheLimit)
    {
        _memory = memory;
        _device = device;
        _accounting = new PoolAccounting(missBudget, loanBudget, cacheLimit);
    }

    /// <summary>Bytes lent (by size class), reserved (lent plus cached) and the peak lent.</summary>
    public MemoryStats Stats
    {
        get { lock (_gate) return _accounting.Stats; }
    }

    public void ResetPeak()
    {
        lock (_gate) _accounting.ResetPeak();
    }

    /// <summary>The class a request of <paramref name="bytes"/> is served from.</summary>
    public static long SizeClass(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes == 0) return 0;
        if (bytes < 1L << 20) return (bytes + 511) / 512 * 512;
        long step = (1L << (63 - (int)long.LeadingZeroCount(bytes))) / 8;
        return (bytes + step - 1) / step * step;
    }

    /// <summary>A block of at least <paramref name="bytes"/> for work on <paramref name="stream"/>; a zero-byte request gets a null block.</summary>
    public DeviceBlock Allocate(long bytes, nint stream, string what)
    {
        long size = SizeClass(bytes);
        if (size == 0) return new DeviceBlock(0, 0, stream);
        bool collect;
        lock (_gate)
        {
            FreeReleased();
            if (TryTake(stream, size, out var hit)) return hit;
            collect = _accounting.ShouldCollect(size);
        }
        if (collect && TryAfterCollection(stream, size, out var reclaimed)) return reclaimed;
        ulong pointer = _memory.TryAllocate(size);
        if (pointer == 0)
        {
            // Out of memory: dead storages may hold blocks of this class; failing that, give the cache back and retry.
            if (TryAfterCollection(stream, size, out reclaimed)) return reclaimed;
            EmptyCache();
            pointer = _memory.TryAllocate(size);
        }
        if (pointer == 0)
        {
            MemoryStats stats;
            lock (_gate) stats = _accounting.Stats;
            var (free, total) = _memory.Info();
            throw new CudaException(
                $"CUDA: out of memory on {_device}: {what} asked for {Format(bytes)} ({bytes} bytes); tensors hold {Format(stats.AllocatedBytes)} " +
                $"and the allocator reserves {Format(stats.ReservedBytes)} (after a collection, with its cache emptied); the device reports {Format(free)} free of {Format(total)}.");
        }
        lock (_gate) _accounting.Lend(size);
        return new DeviceBlock(pointer, size, stream);
    }

    /// <summary>
    /// A block comes back (from a storage's finalizer, or a kernel's scratch). It is cached, or, past the cache
    /// limit, queued to be freed by the next allocation: finalizers run on their own thread, which makes no CUDA calls.
    /// </summary>
    public void Release(DeviceBlock block)
    {
        if (block.Bytes == 0) return;
        lock (_gate)
        {
            if (_accounting.Return(block.Bytes))
            {
                if (!_cache.TryGetValue((block.Stream, block.Bytes), out var stack)) _cache[(block.Stream, block.Bytes)] = stack = new Stack<ulong>();
                stack.Push(block.Pointer);
            }
            else _toFree.Add(block);
        }
    }

    /// <summary>Frees every cached block (after the device has finished with them).</summary>
    public void EmptyCache()
    {
        List<(ulong Pointer, long Bytes)> blocks;
        lock (_gate)
        {
            blocks = [.. _cache.SelectMany(c => c.Value.Select(p => (p, c.Key.Bytes)))];
            _cache.Clear();
            foreach (var (_, bytes) in blocks) _accounting.Evict(bytes);
            blocks.AddRange(_toFree.Select(b => (b.Pointer, 0L)));
            _toFree.Clear();
        }
        if (blocks.Count == 0) return;
        _memory.Synchronize("emptying the allocator's cache");
        foreach (var (pointer, _) in blocks) _memory.Free(pointer);
    }

    private bool TryAfterCollection(nint stream, long size, out DeviceBlock block)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        lock (_gate) return TryTake(stream, size, out block);
    }

    private bool TryTake(nint stream, long size, out DeviceBlock block)
    {
        if (_cache.TryGetValue((stream, size), out var stack) && stack.Count > 0)
        {
            block = new DeviceBlock(stack.Pop(), size, stream);
            _accounting.Lend(size);
            _accounting.TakeFromCache(size);
            return true;
        }
        block = default;
        return false;
    }

    // Under the lock. Rare: only blocks returned past the cache limit land here.
    private void FreeReleased()
    {
        if (_toFree.Count == 0) return;
        _memory.Synchronize("freeing released blocks");
        foreach (var block in _toFree) _memory.Free(block.Pointer);
        _toFree.Clear();
    }

    internal static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
