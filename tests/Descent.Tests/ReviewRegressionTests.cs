using Descent.Backends.Cpu;
using Descent.Optimizers;

namespace Descent.Tests;

/// <summary>Bugs found in review, each pinned by the case that exposed it.</summary>
[Collection("Threads")]
public class ReviewRegressionTests
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
    public void Assigning_a_view_of_the_variable_itself_reads_the_old_values()
    {
        var v = new Variable(Tensor.FromArray(new[] { 1.0, 2, 3, 4 }, 2, 2));
        v.AssignAdd(v.Transpose());
        Assert.Equal([2.0, 5, 5, 8], v.ToArray<double>());
        var w = new Variable(Tensor.FromArray(new[] { 1.0, 2, 3, 4 }, 2, 2));
        w.Assign(w.Transpose());
        Assert.Equal([1.0, 3, 2, 4], w.ToArray<double>());
    }

    [Fact]
    public void Pad_gradient_ignores_later_changes_to_the_paddings_array()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2.0 });
        using var tape = new GradientTape();
        tape.Watch(x);
        (int, int)[] paddings = [(1, 2)];
        var y = x.Pad(paddings);
        paddings[0] = (0, 3);
        var g = tape.Gradient((y * Tensor.FromArray(new[] { 10.0, 20, 30, 40, 50 })).Sum(), x)!;
        Assert.Equal([20.0, 30.0], g.ToArray<double>());
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

    [Fact]
    public void The_same_variable_twice_in_apply_gradients_is_rejected()
    {
        var v = new Variable(1.0, "w");
        var e = Assert.Throws<ArgumentException>(() => new SGD(0.1).ApplyGradients([Tensor.Scalar(1.0), Tensor.Scalar(1.0)], [v, v]));
        Assert.Contains("'w' appears twice", e.Message);
        Assert.Equal(1.0, v.Item<double>());
    }

    [Fact]
    public void A_tape_disposed_on_another_thread_stops_recording_on_its_own()
    {
        var x = new Variable(2.0);
        var tape = new GradientTape(persistent: true);
        var other = new Thread(tape.Dispose);
        other.Start();
        other.Join();
        var y = x * x; // after disposal: must not be recorded
        Assert.Null(tape.Gradient(y, x));
    }
}
