using Descent.Backends.Cpu;

namespace Descent.Tests;

/// <summary>Philox makes element i a function of (seed, offset + i) alone, so the partition into threads cannot matter.</summary>
[Collection("Threads")]
public class RandomTensorThreadTests
{
    [Fact]
    public void A_random_tensor_holds_the_generators_next_draws_whatever_the_thread_count()
    {
        var host = new Generator(7);
        var expected = Enumerable.Range(0, 20_000).Select(_ => host.NextDouble()).ToArray();
        foreach (int threads in new[] { 1, 2 })
        {
            int saved = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                var g = new Generator(7);
                Assert.Equal(expected, Tensor.RandomUniform([100, 200], g, dtype: DType.Float64).ToArray<double>());
                Assert.Equal(20_000UL, g.Offset);
            }
            finally { Parallelism.MaxThreads = saved; }
        }
    }
}
