using Descent.Backends.Cpu;

namespace Descent.Tests;

/// <summary>Bugs of the CPU backend's buffer pool and worker team found in review, each pinned by the case that exposed it.</summary>
[Collection("Threads")]
public class CpuReviewRegressionTests
{
    [Fact]
    public void Strided_inputs_stay_intact_when_the_pool_collects_in_the_middle_of_a_kernel()
    {
        // Both operands of Gather are broadcast views, so each is packed into a temporary; 48 MB rented just before
        // makes the second packing trigger a collection. The first temporary must survive it.
        var pressure = Enumerable.Range(0, 3).Select(_ => Tensor.Zeros([1 << 22])).ToList();
        pressure.Clear();
        var x = Tensor.Scalar(5L).BroadcastTo(1 << 20);
        var idx = Tensor.Scalar(3L).BroadcastTo(1 << 20);
        var gathered = x.Gather(idx).ToArray<long>();
        Assert.All(gathered, v => Assert.Equal(5L, v));
    }

    [Fact]
    public void A_kernel_error_on_a_worker_thread_surfaces_as_itself()
    {
        var team = WorkerTeam.TryAcquire();
        Assert.NotNull(team);
        try
        {
            // The caller claims chunk 0 first and holds it until chunk 1 has started, so chunk 1 runs on the worker.
            int started = 0;
            var e = Assert.Throws<ArgumentException>(() => team!.RunChunks(2, 2, c =>
            {
                if (c == 0)
                {
                    while (Volatile.Read(ref started) == 0) Thread.Yield();
                    return;
                }
                Volatile.Write(ref started, 1);
                throw new ArgumentException("from the worker");
            }));
            Assert.Equal("from the worker", e.Message);
            // The team is still usable afterwards.
            int ran = 0;
            team!.RunChunks(2, 2, _ => Interlocked.Increment(ref ran));
            Assert.Equal(2, ran);
        }
        finally
        {
            team!.Release();
        }
    }
}
