namespace Descent.Backends.Cpu;

/// <summary>
/// Reuses large arrays across ops, keyed by exact length: a training loop repeats the same shapes, so
/// after the first step every buffer it needs is waiting here and no new large array is allocated.
/// Arrays come back when their storage is finalized. Because a rented buffer costs the GC nothing,
/// nothing would otherwise prompt a collection while dead storages pile up. So when the pool runs dry
/// after more than a few megabytes of rentals, it asks for a gen-1 collection (which returns dead buffers
/// without touching gen 2) instead of allocating: fresh memory costs page faults, about as much as a
/// collection. It also collects once the bytes out on loan pass a budget. <see cref="PoolAccounting"/>
/// keeps the numbers and makes that call. Each <see cref="CpuBackend"/> owns one.
/// </summary>
internal sealed class BufferPool
{
    private const long CollectBudget = 128L << 20;
    private const long FreshBudget = 64L << 20;
    private const long RetainLimit = 2L << 30;

    private readonly Dictionary<(Type, int), Stack<Array>> _free = [];
    private readonly object _gate = new();
    private readonly PoolAccounting _accounting = new(missBudget: FreshBudget, loanBudget: CollectBudget, cacheLimit: RetainLimit);

    /// <summary>Bytes on loan, cached, and the high-water mark of those on loan.</summary>
    public MemoryStats Stats
    {
        get { lock (_gate) return _accounting.Stats; }
    }

    /// <summary>Starts the high-water mark again from the bytes on loan now.</summary>
    public void ResetPeak()
    {
        lock (_gate) _accounting.ResetPeak();
    }

    public T[] Rent<T>(int length) where T : unmanaged
    {
        long bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        bool collect;
        lock (_gate)
        {
            _accounting.Lend(bytes);
            if (TryPop(length, bytes, out T[]? hit)) return hit!;
            // A miss after many rentals means dead buffers are probably waiting for a collection: collect
            // rather than page-fault a fresh array.
            collect = _accounting.ShouldCollect(bytes);
        }
        if (collect)
        {
            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            lock (_gate)
                if (TryPop(length, bytes, out T[]? hit)) return hit!;
        }
        return GC.AllocateUninitializedArray<T>(length);
    }

    private bool TryPop<T>(int length, long bytes, out T[]? array)
    {
        if (_free.TryGetValue((typeof(T), length), out var stack) && stack.Count > 0)
        {
            array = (T[])stack.Pop();
            _accounting.TakeFromCache(bytes);
            return true;
        }
        array = null;
        return false;
    }

    public void Return(Array array, int length, int elementSize)
    {
        long bytes = (long)length * elementSize;
        lock (_gate)
        {
            if (!_accounting.Return(bytes)) return; // let the GC have it
            var key = (array.GetType().GetElementType()!, length);
            if (!_free.TryGetValue(key, out var stack)) _free[key] = stack = new Stack<Array>();
            stack.Push(array);
        }
    }
}
