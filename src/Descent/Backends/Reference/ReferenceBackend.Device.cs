namespace Descent.Backends.Reference;

// The device half: memory is managed arrays, so transfers are element copies and nothing is asynchronous.
internal sealed partial class ReferenceBackend
{
    // The CPU pool's budgets. Nothing is cached (a cache limit of 0), so every allocation is a miss.
    private const long MissBudget = 64L << 20;
    private const long LoanBudget = 128L << 20;

    // Locked because finalizers report from their own thread.
    private readonly PoolAccounting _memory = new(MissBudget, LoanBudget, cacheLimit: 0);

    public Device Device { get; }

    /// <summary>
    /// Every buffer, small ones included, at the bytes it really holds: 8 per element (float32 is kept as double,
    /// int32 as long), 1 per bool. Nothing is cached, so reserved equals allocated. A buffer counts from its
    /// allocation until the GC finalizes its storage.
    /// </summary>
    public MemoryStats Memory
    {
        get { lock (_memory) return _memory.Stats; }
    }

    public void ResetPeakMemory()
    {
        lock (_memory) _memory.ResetPeak();
    }

    /// <summary>
    /// Counts a new buffer and, when the accounting says enough was allocated since the last collection, collects.
    /// The GC sees these arrays and would collect in its own time; collecting as a device allocator must (see
    /// <see cref="PoolAccounting"/>) keeps this backend the template for one. The collection is a full one, where the
    /// CPU pool's is gen-1: speed is not this backend's point, and a full collection also finalizes dead storages that
    /// reached gen 2, so the count falls to the live bytes each time and its peak is the live bytes plus the budget,
    /// not whatever the GC's own schedule leaves.
    /// </summary>
    internal void Lent(long bytes)
    {
        bool collect;
        lock (_memory)
        {
            _memory.Lend(bytes);
            collect = _memory.ShouldCollect(bytes);
        }
        if (!collect) return;
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    internal void Released(long bytes)
    {
        lock (_memory) _memory.Return(bytes);
    }

    public void Upload<T>(ReadOnlySpan<T> source, Storage destination) where T : unmanaged
    {
        var y = Typed<T>(destination, "Upload", source.Length, 0);
        for (int i = 0; i < source.Length; i++) y.Set(i, source[i]);
    }

    public void Download<T>(Storage source, int offset, Span<T> destination) where T : unmanaged
    {
        var x = Typed<T>(source, "Download", destination.Length, offset);
        for (int i = 0; i < destination.Length; i++) destination[i] = x.Get<T>(offset + i);
    }

    public void Synchronize() { }

    public void Random(RandomDistribution distribution, ulong seed, ulong offset, double a, double b, Storage y)
    {
        var output = Own(y, "Random");
        if (!y.DType.IsFloat()) throw new ArgumentException($"Random: dtype must be float32 or float64, got {y.DType.Name()}.");
        // Element i depends on its counter alone, so this loop gives every other backend's bits.
        for (int i = 0; i < output.Length; i++) output.SetReal(i, Philox.Sample(distribution, seed, offset + (ulong)i, a, b));
    }

    public void Verify(Storage condition, Func<Exception> failure)
    {
        var flag = Own(condition, "Verify");
        if (flag.DType != DType.Bool || flag.Length < 1)
            throw new ArgumentException($"Verify: expects a bool scalar, got {flag.DType.Name()} of length {flag.Length}.");
        if (!flag.Bool(0)) throw failure();
    }

    private static ReferenceStorage Typed<T>(Storage storage, string op, int count, int offset) where T : unmanaged
    {
        var own = Own(storage, op);
        if (own.DType != DTypes.Of<T>())
            throw new ArgumentException($"{op}: the buffer holds {own.DType.Name()}, not {DTypes.Of<T>().Name()}.");
        if (offset < 0 || count > own.Length - offset)
            throw new ArgumentException($"{op}: {count} elements from {offset} do not fit a buffer of {own.Length}.");
        return own;
    }
}
