using Descent.Optimizers;

namespace Descent.Tests.Optimizers;

[OnEveryDevice]
public class OptimizerOptionsTests
{
    private static Tensor V(params double[] values) => Tensor.FromArray(values, values.Length);

    // The adaptive rules all normalise the gradient, which would hide what clipping did; plain SGD's
    // w ← w − lr·g shows it directly.
    private static SGD PlainStep(double lr) => new(lr);

    [Fact]
    public void ClipValue_limits_each_element_before_the_step()
    {
        var w = new Variable(V(0, 0));
        PlainStep(1).With(o => o. ClipValue = 0.5).ApplyGradients([V(2, -0.25)], [w]);
        Assert.Equal([-0.5, 0.25], w.ToArray<double>());
    }

    [Fact]
    public void ClipNorm_limits_each_tensor()
    {
        var a = new Variable(V(0, 0));
        var b = new Variable(V(0));
        PlainStep(1).With(o => o. ClipNorm = 1).ApplyGradients([V(3, 4), V(0.5)], [a, b]);
        Check.Close([-0.6, -0.8], a.ToArray<double>(), 1e-15);
        Assert.Equal([-0.5], b.ToArray<double>());
    }

    [Fact]
    public void GlobalClipNorm_limits_all_tensors_together()
    {
        var a = new Variable(V(0, 0));
        var b = new Variable(V(0));
        PlainStep(1).With(o => o. GlobalClipNorm = 6.5).ApplyGradients([(V(3, 4), a), (V(12), b)]);
        Check.Close([-1.5, -2], a.ToArray<double>(), 1e-15);
        Check.Close([-6], b.ToArray<double>(), 1e-15);
    }

    [Fact]
    public void GlobalClipNorm_applies_through_a_core_optimizer_reference()
    {
        Optimizer core = new Adam(learningRate: 0.1) { GlobalClipNorm = 1 };
        var clipped = new Variable(V(0));
        core.ApplyGradients([V(5)], [clipped]);
        // Adam's first step moves by lr·sign(g) whatever the gradient's scale.
        Check.Close([-0.1], clipped.ToArray<double>(), 1e-6);
        Optimizer sgd = PlainStep(1).With(o => o.GlobalClipNorm = 1);
        var w = new Variable(V(0));
        sgd.ApplyGradients([V(5)], [w]);
        Assert.Equal([-1.0], w.ToArray<double>());
    }

    [Fact]
    public void Only_one_clipping_option_may_be_set()
    {
        var e = Assert.Throws<ArgumentException>(() => new Adam { ClipNorm = 1, GlobalClipNorm = 2 });
        Assert.Contains("only one of ClipValue, ClipNorm and GlobalClipNorm", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { ClipValue = -1 });
    }

    [Fact]
    public void Null_gradients_leave_their_variables_and_state_alone()
    {
        var optimizer = new Adam(0.1);
        var a = new Variable(V(1, 2));
        var b = new Variable(V(3));
        optimizer.ApplyGradients([null, V(1)], [a, b]);
        Assert.Equal([1.0, 2.0], a.ToArray<double>());

        optimizer.ApplyGradients([V(1, 1), V(1)], [a, b]);

        // With a constant gradient every Adam step moves by lr/(1 + ε). Had a's bias correction used the global
        // count (2) instead of its own (1), its step would be 0.1·0.1/0.19 / √(0.001/0.002) ≈ 0.074.
        Check.Close([0.9, 1.9], a.ToArray<double>(), 1e-7);
        Check.Close([2.8], b.ToArray<double>(), 1e-7);
        Assert.Equal(2, optimizer.Iterations);
    }

    [Fact]
    public void Mismatched_counts_and_shapes_throw_with_the_counts()
    {
        var w = new Variable(V(0, 0));
        Assert.Contains("2 gradients for 1 variables", Assert.Throws<ArgumentException>(() => new Adam().ApplyGradients([V(1, 1), V(1, 1)], [w])).Message);
        Assert.Contains("2 gradients for 1 variables", Assert.Throws<ArgumentException>(() => new Adam { GlobalClipNorm = 1 }.ApplyGradients([V(1, 1), V(1, 1)], [w])).Message);
        Assert.Contains("does not match", Assert.Throws<ArgumentException>(() => new RMSprop().ApplyGradients([V(1, 1, 1)], [w])).Message);
    }

    [Theory]
    [InlineData("lr")]
    [InlineData("beta1")]
    [InlineData("beta2")]
    [InlineData("epsilon")]
    [InlineData("weightDecay")]
    [InlineData("rho")]
    [InlineData("momentum")]
    [InlineData("initialAccumulatorValue")]
    public void Bad_hyperparameters_throw_naming_the_parameter(string which)
    {
        Action create = which switch
        {
            "lr" => () => new Adam(-0.1),
            "beta1" => () => new Adam(beta1: 1),
            "beta2" => () => new AdamW(beta2: -0.1),
            "epsilon" => () => new Adagrad(epsilon: 0),
            "weightDecay" => () => new AdamW(weightDecay: -1),
            "rho" => () => new RMSprop(rho: 1.5),
            "momentum" => () => new RMSprop(momentum: -0.5),
            _ => () => new Adagrad(initialAccumulatorValue: double.NaN),
        };
        var e = Assert.ThrowsAny<ArgumentException>(create);
        Assert.Contains(which == "lr" ? "learning rate" : which, e.Message);
    }
}

internal static class OptimizerTestExtensions
{
    public static T With<T>(this T optimizer, Action<T> configure) where T : Optimizer
    {
        configure(optimizer);
        return optimizer;
    }
}
