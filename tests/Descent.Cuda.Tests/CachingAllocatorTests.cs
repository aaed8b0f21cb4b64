namespace Descent.Cuda.Tests;

/// <summary>The caching allocator's bookkeeping on a fake device memory: size classes, reuse per stream, statistics, and running out.</summary>
public class CachingAllocatorTests
{
    private sealed class FakeMemory(long capacity) : IDeviceMemory
    {
        private readonly Dictionary<ulong, long> _live = [];
        private ulong _next = 0x1000;

        public int Allocations { get; private set; }
        public List<ulong> Freed { get; } = [];
        public int Synchronizations { get; private set; }
        public long Used => _live.Values.Sum();

        public ulong TryAllocate(long bytes)
        {
            if (Used + bytes > capacity) return 0;
            Allocations++;
            ulong pointer = _next;
            _next += (ulong)bytes;
            _live[pointer] = bytes;
            return pointer;
        }

        public void Free(ulong pointer)
        {
            Assert.True(_live.Remove(pointer), $"freed {pointer:x} twice or never allocated it");
            Freed.Add(pointer);
        }

        public void Synchronize(string op) => Synchronizations++;

        public (long Free, long Total) Info() => (capacity - Used, capacity);
    }

    private static CachingAllocator Allocator(FakeMemory memory) => new(memory, "cuda:0", missBudget: 1L << 40, loanBudget: 1L << 40, cacheLimit: long.MaxValue / 4);

    [Theory]
    [InlineData(1L, 512L)]
    [InlineData(512L, 512L)]
    [InlineData(513L, 1024L)]
    [InlineData((1L << 20) - 1, 1L << 20)]
    [InlineData(1L << 20, 1L << 20)]
    [InlineData((1L << 20) + 1, (1L << 20) + (1L << 17))]   // eight classes per power of two: steps of 128 KiB
    [InlineData(3_000_000L, 3_145_728L)]                    // 2 MiB + 3 steps of 256 KiB
    [InlineData(1L << 33, 1L << 33)]
    public void Requests_round_up_to_size_classes(long bytes, long size) => Assert.Equal(size, CachingAllocator.SizeClass(bytes));

    [Fact]
    public void Size_classes_waste_at_most_an_eighth_above_one_mebibyte()
    {
        for (long bytes = 1 << 20; bytes < 1L << 34; bytes = bytes * 9 / 7 + 13)
        {
            long size = CachingAllocator.SizeClass(bytes);
            Assert.InRange(size, bytes, bytes + bytes / 8);
        }
    }

    [Fact]
    public void A_returned_block_is_reused_for_the_same_class_on_the_same_stream_only()
    {
        var memory = new FakeMemory(1 << 30);
        var allocator = Allocator(memory);
        var first = allocator.Allocate(1000, stream: 1, "test");
        allocator.Release(first);

        var again = allocator.Allocate(900, stream: 1, "test");        // same class (1024)
        Assert.Equal(first.Pointer, again.Pointer);
        Assert.Equal(1, memory.Allocations);

        var other = allocator.Allocate(900, stream: 2, "test");        // another stream: a fresh block
        Assert.NotEqual(first.Pointer, other.Pointer);
        var bigger = allocator.Allocate(2000, stream: 1, "test");      // another class: a fresh block
        Assert.Equal(3, memory.Allocations);
        Assert.NotEqual(first.Pointer, bigger.Pointer);
    }

    [Fact]
    public void Statistics_count_size_classes_lent_cached_and_the_peak()
    {
        var allocator = Allocator(new FakeMemory(1 << 30));
        var a = allocator.Allocate(1000, 0, "test");     // 1024
        var b = allocator.Allocate(5000, 0, "test");     // 5120
        Assert.Equal(new MemoryStatsView(6144, 6144, 6144), View(allocator));
        allocator.Release(a);
        Assert.Equal(new MemoryStatsView(5120, 6144, 6144), View(allocator));
        allocator.ResetPeak();
        Assert.Equal(new MemoryStatsView(5120, 6144, 5120), View(allocator));
        var c = allocator.Allocate(1024, 0, "test");     // from the cache
        Assert.Equal(new MemoryStatsView(6144, 6144, 6144), View(allocator));
        allocator.Release(b);
        allocator.Release(c);
        Assert.Equal(new MemoryStatsView(0, 6144, 6144), View(allocator));
    }

    private readonly record struct MemoryStatsView(long Allocated, long Reserved, long Peak);

    private static MemoryStatsView View(CachingAllocator allocator)
    {
        var s = allocator.Stats;
        return new(s.AllocatedBytes, s.ReservedBytes, s.PeakAllocatedBytes);
    }

    [Fact]
    public void A_zero_byte_request_gets_a_null_block_and_touches_nothing()
    {
        var memory = new FakeMemory(1 << 20);
        var allocator = Allocator(memory);
        var block = allocator.Allocate(0, 0, "test");
        Assert.Equal(0ul, block.Pointer);
        allocator.Release(block);
        Assert.Equal(0, memory.Allocations);
        Assert.Equal(0, allocator.Stats.ReservedBytes);
    }

    [Fact]
    public void Out_of_memory_frees_the_cache_and_retries_once()
    {
        var memory = new FakeMemory(4 << 20);
        var allocator = Allocator(memory);
        var small = allocator.Allocate(3 << 20, 0, "test");
        allocator.Release(small);                        // cached: 3 MiB of the 4 are reserved

        var big = allocator.Allocate(2 << 20, 0, "test");  // does not fit beside the cached block

        Assert.NotEqual(0ul, big.Pointer);
        Assert.Equal([small.Pointer], memory.Freed);
        Assert.True(memory.Synchronizations > 0, "the device must finish with a block before it is freed");
        Assert.Equal(2L << 20, allocator.Stats.ReservedBytes);
    }

    [Fact]
    public void When_even_the_retry_fails_the_error_names_the_request_and_the_memory_held()
    {
        var memory = new FakeMemory(4 << 20);
        var allocator = Allocator(memory);
        var held = allocator.Allocate(3 << 20, 0, "test");

        var e = Assert.Throws<CudaException>(() => allocator.Allocate(2 << 20, 0, "a float32 buffer of 524288 elements"));

        Assert.Equal("CUDA: out of memory on cuda:0: a float32 buffer of 524288 elements asked for 2.0 MiB (2097152 bytes); tensors hold 3.0 MiB " +
            "and the allocator reserves 3.0 MiB (after a collection, with its cache emptied); the device reports 1.0 MiB free of 4.0 MiB.", e.Message);
        Assert.IsAssignableFrom<InvalidOperationException>(e);
        // The failed request left no trace in the numbers.
        Assert.Equal(3L << 20, allocator.Stats.AllocatedBytes);
        Assert.Equal(3L << 20, allocator.Stats.PeakAllocatedBytes);
        GC.KeepAlive(held);
    }

    [Fact]
    public void Blocks_released_past_the_cache_limit_are_freed_by_the_next_allocation_not_by_the_releasing_thread()
    {
        var memory = new FakeMemory(1 << 30);
        var allocator = new CachingAllocator(memory, "cuda:0", 1L << 40, 1L << 40, cacheLimit: 1024);
        var a = allocator.Allocate(4096, 0, "test");
        allocator.Release(a);                            // over the limit: queued, not freed here
        Assert.Empty(memory.Freed);
        allocator.Allocate(512, 0, "test");
        Assert.Equal([a.Pointer], memory.Freed);
        Assert.Equal(512, allocator.Stats.ReservedBytes);
    }
}
