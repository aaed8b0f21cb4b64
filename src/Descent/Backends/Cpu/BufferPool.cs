namespace Descent.Backends.Cpu;

/// <summary>
/// Reuses large arrays across ops, keyed by exact length: a training loop repeats the same shapes, so
/// after the first step every buffer it needs is waiting here and no new large array is allocated.
/// Arrays come back when their storage is finalized. Because a rented buffer costs the GC nothing,
/// nothing would otherwise prompt a collection while dead storages pile up. So the pool asks for a
/// gen-1 collection (which returns dead buffers without touching gen 2) when it would otherwise keep
/// allocating: once a few megabytes of new arrays have been made since the last collection (fresh
/// memory costs page faults, about as much as a collection), or once the bytes out on loan pass a budget.
/// </summary>
internal static class BufferPool
{
    private const long CollectBudget = 128L << 20;
    private const long FreshBudget = 16L << 20;
    private const long RetainLimit = 2L << 30;

    private static readonly Dictionary<(Type, int), Stack<Array>> Free = [];
    private static readonly object Gate = new();
    private static long _retainedBytes;
    private static long _outstandingBytes;
    private static long _rentedSinceCollect;
    private static long _freshSinceCollect;

    public static T[] Rent<T>(int length) where T : unmanaged
    {
        long bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        bool collect;
        lock (Gate)
        {
            _outstandingBytes += bytes;
            _rentedSinceCollect += bytes;
            if (TryPop(length, bytes, out T[]? hit)) return hit!;
            // Big buffers may grow the pool by several before a collection: each collection then returns
            // several, so one collection serves several ops rather than every other one.
            collect = _freshSinceCollect + bytes > Math.Max(FreshBudget, 8 * bytes)
                || (_outstandingBytes > CollectBudget && _rentedSinceCollect > CollectBudget / 2);
            if (collect) _rentedSinceCollect = _freshSinceCollect = 0;
        }
        if (collect)
        {
            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            lock (Gate)
                if (TryPop(length, bytes, out T[]? hit)) return hit!;
        }
        lock (Gate) _freshSinceCollect += bytes;
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
