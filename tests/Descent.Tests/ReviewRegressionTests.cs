using Descent.Optimizers;

namespace Descent.Tests;

/// <summary>Bugs found in review, each pinned by the case that exposed it.</summary>
[OnEveryDevice]
public class ReviewRegressionTests
{
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
