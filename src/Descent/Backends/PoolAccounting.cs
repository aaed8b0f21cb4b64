namespace Descent.Backends;

/// <summary>
/// The bookkeeping of a caching allocator whose buffers come back only when the garbage collector finalizes
/// their storage (users never call <c>Dispose</c>), and the rule that decides when to make it collect.
/// <para>
/// A pooled buffer costs the GC nothing, and device memory is invisible to it, so nothing would prompt a
/// collection while dead storages pile up: the allocator must ask for one itself, from its own numbers. The
/// rule, the CPU pool's: on a cache miss, collect (and retry the cache) rather than allocate fresh once
/// <c>missBudget</c> bytes, or eight times the request, were lent since the last collection, or once
/// <c>loanBudget</c> bytes are out and half that was lent since. A training loop repeats its shapes, so at
/// steady state every request hits the cache and the rule never fires; after a burst of new shapes it fires
/// once per budget, not once per op.
/// </para>
/// <para>
/// An allocator follows it like this: <see cref="Lend"/> for every buffer handed out; on a hit,
/// <see cref="TakeFromCache"/>; on a miss, <see cref="ShouldCollect"/>, and if it says so, collect
/// (<c>GC.Collect</c>, then <c>GC.WaitForPendingFinalizers</c>, whose finalizers call <see cref="Return"/>)
/// and look in the cache again; <see cref="Return"/> from the storage's finalizer, caching the buffer only
/// when it says so; <see cref="Evict"/> for a cached buffer it frees (a GPU allocator that runs out of
/// device memory empties its cache and retries). Not synchronized: the allocator calls it under its own lock.
/// </para>
/// </summary>
public sealed class PoolAccounting
{
    private readonly long _missBudget;
    private readonly long _loanBudget;
    private readonly long _cacheLimit;
    private long _allocated;
    private long _cached;
    private long _peak;
    private long _lentSinceCollect;

    /// <summary>
    /// Accounting with the collection rule's budgets (bytes) and the most the cache may hold, beyond which a
    /// returned buffer is freed; a cache limit of 0 makes an allocator that only counts.
    /// </summary>
    public PoolAccounting(long missBudget, long loanBudget, long cacheLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(missBudget);
        ArgumentOutOfRangeException.ThrowIfNegative(loanBudget);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheLimit);
        _missBudget = missBudget;
        _loanBudget = loanBudget;
        _cacheLimit = cacheLimit;
    }

    /// <summary>The numbers as they stand; the allocator reads them under its lock.</summary>
    public MemoryStats Stats => new(_allocated, _allocated + _cached, _peak);

    /// <summary>A buffer of <paramref name="bytes"/> goes out on loan, from the cache or fresh.</summary>
    public void Lend(long bytes)
    {
        _allocated += bytes;
        _lentSinceCollect += bytes;
        if (_allocated > _peak) _peak = _allocated;
    }

    /// <summary>The buffer just lent came from the cache.</summary>
    public void TakeFromCache(long bytes) => _cached -= bytes;

    /// <summary>
    /// Asked on a cache miss for <paramref name="bytes"/>: whether to collect and retry the cache before
    /// allocating fresh memory. Saying yes starts a new count.
    /// </summary>
    public bool ShouldCollect(long bytes)
    {
        // Big buffers may first grow the cache by several, so that one collection serves several ops
        // rather than every other one.
        bool collect = _lentSinceCollect > Math.Max(_missBudget, 8 * bytes)
            || (_allocated > _loanBudget && _lentSinceCollect > _loanBudget / 2);
        if (collect) _lentSinceCollect = 0;
        return collect;
    }

    /// <summary>A lent buffer of <paramref name="bytes"/> came back; true when the allocator should cache it, false to free it.</summary>
    public bool Return(long bytes)
    {
        _allocated -= bytes;
        if (_cached + bytes > _cacheLimit) return false;
        _cached += bytes;
        return true;
    }

    /// <summary>The allocator freed a cached buffer of <paramref name="bytes"/>.</summary>
    public void Evict(long bytes) => _cached -= bytes;

    /// <summary>Starts the high-water mark again from the bytes allocated now.</summary>
    public void ResetPeak() => _peak = _allocated;
}
