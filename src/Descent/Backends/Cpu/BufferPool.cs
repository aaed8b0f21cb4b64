namespace Descent.Backends.Cpu;

/// <summary>
/// Reuses large arrays across ops, keyed by exact length: a training loop repeats the same shapes, so
/// after the first step every buffer it needs is waiting here and no new large array is allocated.
/// Arrays come back when their storage is finalized. Because a rented buffer costs the GC nothing,
/// nothing would otherwise prompt a collection while dead storages pile up. So when the pool runs dry
/// after more than a few megabytes of rentals, it asks for a gen-1 collection (which returns dead buffers
/// without touching gen 2) instead of allocating: fresh memory costs page faults, about as much as a
/// collection. It also collects once the bytes out on loan pass a budget.
/// </summary>
internal static class BufferPool
{
    private const long CollectBudget = 128L << 20;
    private const long FreshBudget = 64L << 20;
    private const long RetainLimit = 2L << 30;

    private static readonly Dictionary<(Type, int), Stack<Array>> Free = [];
    private static readonly object Gate = new();
    private static long _retainedBytes;
    private static long _outstandingBytes;
    private static long _rentedSinceCollect;

    public static T[] Rent<T>(int length) where T : unmanaged
    {
        long bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        bool collect;
        lock (Gate)
        {
            _outstandingBytes += bytes;
            _rentedSinceCollect += bytes;
            if (TryPop(length, bytes, out T[]? hit)) return hit!;
            // A miss after many rentals means dead buffers are probably waiting for a collection: collect
            // rather than page-fault a fresh array. Big buffers may first grow the pool by several, so one
            // collection serves several ops rather than every other one.
            collect = _rentedSinceCollect > Math.Max(FreshBudget, 8 * bytes)
                || (_outstandingBytes > CollectBudget && _rentedSinceCollect > CollectBudget / 2);
            if (collect) _rentedSinceCollect = 0;
        }
        if (collect)
        {
            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            lock (Gate)
                if (TryPop(length, bytes, out T[]? hit)) return hit!;
        }
        return GC.AllocateUninitializedArray<T>(length);
    }

    private static bool TryPop<T>(int length, long bytes, out T[]? array)
    {
        if (Free.TryGetValue((typeof(T), length), out var stack) && stack.Count > 0)
        {
            array = (T[])stack.Pop();
            _retainedBytes -= bytes;
            return true;
        }
        array = null;
        return false;
    }

    public static void Return(Array array, int length, int elementSize)
    {
        long bytes = (long)length * elementSize;
        lock (Gate)
        {
            _outstandingBytes -= bytes;
            if (_retainedBytes + bytes > RetainLimit) return; // let the GC have it
            var key = (array.GetType().GetElementType()!, length);
            if (!Free.TryGetValue(key, out var stack)) Free[key] = stack = new Stack<Array>();
            stack.Push(array);
            _retainedBytes += bytes;
        }
    }
}
