namespace Descent.Tests;

/// <summary>GradientTape follows TensorFlow's semantics: what it watches, what Gradient accepts and returns, and its lifetime.</summary>
[OnEveryDevice]
public class GradientTapeTests
{
    private static Tensor V(params double[] values) => Tensor.FromArray(values);

    [Fact]
    public void Trainable_variables_are_watched_automatically()
    {
        var w = new Variable(V(1, 2, 3), "w");
        using var tape = new GradientTape();
        var loss = (w * w).Sum();
        Assert.Equal([2.0, 4, 6], tape.Gradient(loss, w)!.ToArray<double>());
    }

    [Fact]
    public void Non_trainable_variables_and_plain_tensors_are_not_watched()
    {
        var frozen = new Variable(V(1, 2), trainable: false);
        var x = V(3, 4);
        using var tape = new GradientTape(persistent: true);
        var loss = (frozen * x).Sum();
        Assert.Null(tape.Gradient(loss, frozen));
        Assert.Null(tape.Gradient(loss, x));
        Assert.Empty(tape.WatchedVariables());
    }

    [Fact]
    public void Without_watchAccessedVariables_only_explicit_watches_count()
    {
        var a = new Variable(V(1, 2), "a");
        var b = new Variable(V(3, 4), "b");
        using var tape = new GradientTape(watchAccessedVariables: false);
        tape.Watch(b);
        var loss = (a * b).Sum();
        var grads = tape.Gradient(loss, [a, b]);
        Assert.Null(grads[0]);
        Assert.Equal([1.0, 2], grads[1]!.ToArray<double>());
    }

    [Fact]
    public void Watch_makes_a_plain_tensor_a_source()
    {
        var x = V(0.5, -1);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = x.Exp().Sum();
        Check.Close(x.ToArray<double>().Select(Math.Exp).ToArray(), tape.Gradient(y, x)!.ToArray<double>(), 1e-15);
    }

    [Fact]
    public void WatchedVariables_lists_each_variable_once_in_first_use_order()
    {
        var a = new Variable(V(1), "a");
        var b = new Variable(V(2), "b");
        var c = new Variable(V(3), "c");
        using var tape = new GradientTape();
        _ = b * a + a * b;
        tape.Watch(c);
        Assert.Equal(new[] { b, a, c }, tape.WatchedVariables());
    }

    [Fact]
    public void WatchedVariables_survive_the_gradient_call_and_the_end_of_the_scope()
    {
        var w = new Variable(V(1, 2), "w");
        GradientTape tape;
        Tensor loss;
        using (tape = new GradientTape())
            loss = (w * 3.0).Sum();
        Assert.Equal([3.0, 3.0], tape.Gradient(loss, w)!.ToArray<double>());
        // A new tape on this thread must not change what the old one reports.
        var other = new Variable(V(5), "other");
        using var next = new GradientTape();
        _ = other * 2.0;
        Assert.Equal(new[] { w }, tape.WatchedVariables());
        Assert.Equal(new[] { other }, next.WatchedVariables());
        // Nor can the finished tape make the new one watch something.
        var x = V(1);
        tape.Watch(x);
        Assert.Null(next.Gradient(x * 2.0, x));
    }

    [Fact]
    public void A_list_of_sources_gives_gradients_of_matching_shapes_in_order()
    {
        var w = new Variable(Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3));
        var b = new Variable(Tensor.Scalar(0.5));
        var x = Tensor.FromArray(new[] { 1.0, -1 }, 1, 2);
        using var tape = new GradientTape();
        var y = (Tensor.MatMul(x, w) + b).Sum();
        var grads = tape.Gradient(y, [b, w]);
        Assert.Equal(2, grads.Length);
        Assert.Empty(grads[0]!.Shape);
        Assert.Equal(3.0, grads[0]!.Item<double>());
        Assert.Equal([2, 3], grads[1]!.Shape);
        Assert.Equal([1.0, 1, 1, -1, -1, -1], grads[1]!.ToArray<double>());
    }

    [Fact]
    public void Gradient_of_nonscalar_target_is_gradient_of_sum()
    {
        var x = V(1, 2, 3);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        var y = x.Square();
        Assert.Equal(tape.Gradient(y.Sum(), x)!.ToArray<double>(), tape.Gradient(y, x)!.ToArray<double>());
        Assert.Equal([2.0, 4, 6], tape.Gradient(y, x)!.ToArray<double>());
    }

    [Fact]
    public void A_list_of_targets_gives_the_gradient_of_their_total()
    {
        var x = V(1, 2);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y1 = x.Square().Sum();
        var y2 = x * 3.0;
        var grads = tape.Gradient([y1, y2], [x]);
        Assert.Equal([2 * 1 + 3.0, 2 * 2 + 3.0], grads[0]!.ToArray<double>());
    }

    [Fact]
    public void Gradient_with_respect_to_an_intermediate_tensor()
    {
        var x = V(1, 2);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        var h = x * 3.0;
        var y = h.Square().Sum();
        Assert.Equal([6.0, 12], tape.Gradient(y, h)!.ToArray<double>());
        Assert.Equal([18.0, 36], tape.Gradient(y, x)!.ToArray<double>());
    }

    [Fact]
    public void Unconnected_sources_give_null_or_zeros_on_request()
    {
        var x = V(1, 2);
        var unrelated = Tensor.Ones([2, 2], DType.Float64);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        tape.Watch(unrelated);
        var y = x.Square().Sum();
        Assert.Null(tape.Gradient(y, unrelated));
        var zeros = tape.Gradient(y, unrelated, UnconnectedGradients.Zero)!;
        Assert.Equal([2, 2], zeros.Shape);
        Assert.Equal(DType.Float64, zeros.DType);
        Assert.All(zeros.ToArray<double>(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Int_and_bool_sources_give_null()
    {
        var x = V(1, 2);
        var i = Tensor.FromArray(new[] { 1, 2 });
        var b = Tensor.FromArray(new[] { true, false });
        using var tape = new GradientTape();
        tape.Watch(x);
        tape.Watch(i);
        var y = (x * i.Cast(DType.Float64)).Sum() + Tensor.Where(b, x, x * 2.0).Sum();
        var grads = tape.Gradient(y, [i, b, x], UnconnectedGradients.Zero);
        Assert.Null(grads[0]);
        Assert.Null(grads[1]);
        Assert.Equal([1 + 1.0, 2 + 2.0], grads[2]!.ToArray<double>());
    }

    [Fact]
    public void Non_persistent_tape_refuses_a_second_gradient_call()
    {
        var x = V(1);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = x.Square();
        Assert.Equal(2.0, tape.Gradient(y, x)!.Item<double>());
        var e = Assert.Throws<InvalidOperationException>(() => tape.Gradient(y, x));
        Assert.Contains("not persistent", e.Message);
        Assert.Contains("Gradient", e.Message);
    }

    [Fact]
    public void Persistent_tape_allows_many_gradient_calls()
    {
        var x = V(2);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        var y = x.Pow(3);
        var z = x.Square();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(12.0, tape.Gradient(y, x)!.Item<double>());
            Assert.Equal(4.0, tape.Gradient(z, x)!.Item<double>());
        }
        Assert.Equal(2, tape.Jacobian(z * Tensor.Ones([2], DType.Float64), x).Size);
    }

    [Fact]
    public void Nested_tapes_give_second_derivatives()
    {
        var x = V(-1, 0.5, 2);
        using var outer = new GradientTape();
        outer.Watch(x);
        Tensor dy;
        using (var inner = new GradientTape())
        {
            inner.Watch(x);
            var y = x * x * x;
            dy = inner.Gradient(y, x)!;
        }
        Assert.Equal([3.0, 0.75, 12], dy.ToArray<double>());
        var d2y = outer.Gradient(dy, x)!;
        Assert.Equal([-6.0, 3, 12], d2y.ToArray<double>());
    }

    [Fact]
    public void Third_derivative_through_three_tapes()
    {
        var x = V(0.3);
        using var t3 = new GradientTape();
        using var t2 = new GradientTape();
        using var t1 = new GradientTape();
        t3.Watch(x); t2.Watch(x); t1.Watch(x);
        var y = x.Sin();
        var d1 = t1.Gradient(y, x)!;
        var d2 = t2.Gradient(d1, x)!;
        var d3 = t3.Gradient(d2, x)!;
        Assert.Equal(-Math.Cos(0.3), d3.Item<double>(), 15);
    }

    [Fact]
    public void StopRecording_pauses_the_tape()
    {
        var x = V(3);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = x.Square();
        Tensor z;
        using (tape.StopRecording())
            z = x * 100.0; // not recorded: a constant to the tape
        var w = x * 2.0; // recorded again
        Assert.Equal(6.0 + 2.0, tape.Gradient(y + z + w, x)!.Item<double>());
    }

    [Fact]
    public void Jacobian_of_an_elementwise_square_is_diagonal()
    {
        var x = V(1, -2, 3);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = x.Square();
        var j = tape.Jacobian(y, x);
        Assert.Equal([3, 3], j.Shape);
        Assert.Equal([2.0, 0, 0, 0, -4, 0, 0, 0, 6], j.ToArray<double>());
    }

    [Fact]
    public void Jacobian_of_a_matmul_has_target_then_source_shape()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        var w = Tensor.FromArray(new[] { 1.0, -1, 0.5, 2, 0, 3 }, 3, 2);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        tape.Watch(w);
        var y = Tensor.MatMul(x, w); // [2, 2]
        var jw = tape.Jacobian(y, w);
        Assert.Equal([2, 2, 3, 2], jw.Shape);
        // dy[i,j]/dw[k,l] = x[i,k]·δ(j,l)
        var jwv = jw.ToArray<double>();
        var xv = x.ToArray<double>();
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 3; k++) for (int l = 0; l < 2; l++)
            Assert.Equal(j == l ? xv[i * 3 + k] : 0, jwv[((i * 2 + j) * 3 + k) * 2 + l]);
        var jx = tape.Jacobian(y, x);
        Assert.Equal([2, 2, 2, 3], jx.Shape);
        // dy[i,j]/dx[k,m] = δ(i,k)·w[m,j]
        var jxv = jx.ToArray<double>();
        var wv = w.ToArray<double>();
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++) for (int m = 0; m < 3; m++)
            Assert.Equal(i == k ? wv[m * 2 + j] : 0, jxv[((i * 2 + j) * 2 + k) * 3 + m]);
    }

    [Fact]
    public void BatchJacobian_has_batch_then_row_shapes()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2, 3, -1, 0.5, 2 }, 2, 3);
        using var tape = new GradientTape();
        tape.Watch(x);
        // y[b] = tanh(x[b] @ a): each row depends only on its own input row.
        var a = Tensor.FromArray(new[] { 0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8, 0.9, 1.0, -1.1, 1.2 }, 3, 4);
        var y = Tensor.MatMul(x, a).Tanh(); // [2, 4]
        var jb = tape.BatchJacobian(y, x);
        Assert.Equal([2, 4, 3], jb.Shape);
        var yv = y.ToArray<double>();
        var av = a.ToArray<double>();
        var jv = jb.ToArray<double>();
        for (int b = 0; b < 2; b++) for (int j = 0; j < 4; j++) for (int k = 0; k < 3; k++)
            Assert.Equal((1 - yv[b * 4 + j] * yv[b * 4 + j]) * av[k * 4 + j], jv[(b * 4 + j) * 3 + k], 14);
    }

    [Fact]
    public void BatchJacobian_of_multi_axis_rows()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6, 7, 8 }, 2, 2, 2);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = x.Reshape(2, 4) * 3.0; // [2, 4]
        var jb = tape.BatchJacobian(y, x);
        Assert.Equal([2, 4, 2, 2], jb.Shape);
        var expected = new double[32];
        for (int b = 0; b < 2; b++) for (int j = 0; j < 4; j++) expected[(b * 4 + j) * 4 + j] = 3;
        Assert.Equal(expected, jb.ToArray<double>());
    }

    [Fact]
    public void Gradient_after_the_using_scope_ended_still_works()
    {
        var x = V(1.5);
        GradientTape tape;
        Tensor y;
        using (tape = new GradientTape(persistent: true))
        {
            tape.Watch(x);
            y = x.Square();
        }
        var after = x * 10.0; // recorded by no tape: the scope has ended
        Assert.Equal(3.0, tape.Gradient(y, x)!.Item<double>());
        Assert.Null(tape.Gradient(after, x)); // not on the tape, so not connected to x
        Assert.Equal(3.0, tape.Gradient(y, x)!.Item<double>());
    }

    [Fact]
    public void Ops_outside_every_tape_are_not_recorded()
    {
        var x = V(2);
        var y = x.Square();
        using var tape = new GradientTape();
        tape.Watch(x);
        var z = y * 3.0;
        Assert.Null(tape.Gradient(z, x));
    }

    [Fact]
    public void Threads_running_their_own_tapes_never_see_each_others_ops()
    {
        const int Iterations = 1000;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Work(double scale)
        {
            var x = Tensor.FromArray(new[] { scale, 2 * scale, 3 * scale });
            var w = new Variable(Tensor.FromArray(new[] { 1.0, -1, 0.5 }), $"w{scale}");
            for (int i = 0; i < Iterations; i++)
            {
                using var tape = new GradientTape();
                tape.Watch(x);
                var loss = (x * w).Square().Sum() + (x * scale).Sum();
                var grads = tape.Gradient(loss, [x, w]);
                if (tape.WatchedVariables() is not [var only] || !ReferenceEquals(only, w))
                    errors.Enqueue($"scale {scale}: tape watched {tape.WatchedVariables().Count} variables");
                var gx = grads[0]!.ToArray<double>();
                var gw = grads[1]!.ToArray<double>();
                var xv = x.ToArray<double>();
                var wv = w.ToArray<double>();
                for (int k = 0; k < 3; k++)
                {
                    double ex = 2 * xv[k] * wv[k] * wv[k] + scale, ew = 2 * xv[k] * xv[k] * wv[k];
                    if (gx[k] != ex || gw[k] != ew) errors.Enqueue($"scale {scale} iteration {i}: got {gx[k]}, {gw[k]}, expected {ex}, {ew}");
                }
            }
        }
        var threads = new[] { new Thread(() => Work(1)), new Thread(() => Work(7)) };
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Empty(errors);
    }
}
