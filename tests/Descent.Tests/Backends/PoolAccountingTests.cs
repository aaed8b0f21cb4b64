using Descent.Backends;

namespace Descent.Tests.Backends;

/// <summary>The allocator bookkeeping every backend shares: what it counts, what it caches, when it says to collect.</summary>
public class PoolAccountingTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void Lending_and_returning_move_bytes_between_allocated_and_cached()
    {
        var pool = new PoolAccounting(missBudget: 64 * MiB, loanBudget: 128 * MiB, cacheLimit: 10 * MiB);
        pool.Lend(3 * MiB);
        pool.Lend(2 * MiB);
        Assert.Equal(new MemoryStats(5 * MiB, 5 * MiB, 5 * MiB), pool.Stats);
        Assert.True(pool.Return(3 * MiB));
        Assert.Equal(new MemoryStats(2 * MiB, 5 * MiB, 5 * MiB), pool.Stats);
        Assert.Equal(3 * MiB, pool.Stats.CachedBytes);
        // A hit takes the bytes back out of the cache: reserved does not grow.
        pool.Lend(3 * MiB);
        pool.TakeFromCache(3 * MiB);
        Assert.Equal(new MemoryStats(5 * MiB, 5 * MiB, 5 * MiB), pool.Stats);
        Assert.True(pool.Return(3 * MiB));
        pool.Evict(3 * MiB);
        Assert.Equal(new MemoryStats(2 * MiB, 2 * MiB, 5 * MiB), pool.Stats);
    }

    [Fact]
    public void A_buffer_beyond_the_cache_limit_is_freed_not_cached()
    {
        var pool = new PoolAccounting(missBudget: 64 * MiB, loanBudget: 128 * MiB, cacheLimit: 4 * MiB);
        pool.Lend(3 * MiB);
        pool.Lend(3 * MiB);
        Assert.True(pool.Return(3 * MiB));
        Assert.False(pool.Return(3 * MiB));
        Assert.Equal(new MemoryStats(0, 3 * MiB, 6 * MiB), pool.Stats);
    }

    [Fact]
    public void Reset_peak_starts_the_high_water_mark_from_what_is_allocated_now()
    {
        var pool = new PoolAccounting(missBudget: 64 * MiB, loanBudget: 128 * MiB, cacheLimit: 0);
        pool.Lend(8 * MiB);
        pool.Return(6 * MiB);
        Assert.Equal(8 * MiB, pool.Stats.PeakAllocatedBytes);
        pool.ResetPeak();
        Assert.Equal(2 * MiB, pool.Stats.PeakAllocatedBytes);
        pool.Lend(1 * MiB);
        Assert.Equal(3 * MiB, pool.Stats.PeakAllocatedBytes);
    }

    [Fact]
    public void A_miss_asks_for_a_collection_once_the_miss_budget_was_lent_since_the_last()
    {
        var pool = new PoolAccounting(missBudget: 10 * MiB, loanBudget: 1024 * MiB, cacheLimit: 0);
        for (int i = 0; i < 10; i++)
        {
            pool.Lend(1 * MiB);
            Assert.False(pool.ShouldCollect(1 * MiB), $"after {i + 1} MiB lent");
        }
        pool.Lend(1 * MiB);
        Assert.True(pool.ShouldCollect(1 * MiB));
        // Saying yes starts a new count, so the next miss allocates instead of collecting again.
        pool.Lend(1 * MiB);
        Assert.False(pool.ShouldCollect(1 * MiB));
    }

    [Fact]
    public void A_big_request_waits_for_eight_times_its_size_before_collecting()
    {
        var pool = new PoolAccounting(missBudget: 10 * MiB, loanBudget: 1024 * MiB, cacheLimit: 0);
        pool.Lend(12 * MiB);
        Assert.False(pool.ShouldCollect(4 * MiB)); // 12 MiB lent is over the budget, but not over 8 × 4 MiB
        pool.Lend(21 * MiB);
        Assert.True(pool.ShouldCollect(4 * MiB));
    }

    [Fact]
    public void Many_bytes_on_loan_ask_for_a_collection_after_half_the_loan_budget_more()
    {
        var pool = new PoolAccounting(missBudget: 1024 * MiB, loanBudget: 100 * MiB, cacheLimit: 0);
        pool.Lend(120 * MiB);
        Assert.True(pool.ShouldCollect(1 * MiB));
        pool.Lend(40 * MiB);
        Assert.False(pool.ShouldCollect(1 * MiB)); // 160 MiB out, but only 40 lent since the collection
        pool.Lend(11 * MiB);
        Assert.True(pool.ShouldCollect(1 * MiB));
    }
}
