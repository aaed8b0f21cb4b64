using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class DropoutTests
{
    private static Tensor Ones => Tensor.Ones([100, 100], DType.Float64);

    [Fact]
    public void Inference_is_the_identity()
    {
        var x = Random(1, 4, 5);
        Assert.Equal(x.ToArray<double>(), new Dropout(0.5, seed: 1).Call(x).ToArray<double>());
    }

    [Fact]
    public void Training_drops_about_rate_and_scales_the_rest()
    {
        var y = new Dropout(0.3, seed: 1).Call(Ones, training: true).ToArray<double>();
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.7) < 1e-12, $"unexpected {v}"));
        double dropped = y.Count(v => v == 0) / (double)y.Length;
        Assert.InRange(dropped, 0.28, 0.32);
    }

    [Fact]
    public void Masks_are_deterministic_for_a_seed_and_change_between_calls()
    {
        var a = new Dropout(0.5, seed: 42);
        var b = new Dropout(0.5, seed: 42);
        var first = a.Call(Ones, training: true).ToArray<double>();
        Assert.Equal(first, b.Call(Ones, training: true).ToArray<double>());
        Assert.NotEqual(first, a.Call(Ones, training: true).ToArray<double>());
        Assert.NotEqual(first, new Dropout(0.5, seed: 43).Call(Ones, training: true).ToArray<double>());
    }

    [Fact]
    public void Without_a_seed_the_build_generator_fixes_the_mask()
    {
        var a = new Dropout(0.5);
        var b = new Dropout(0.5);
        a.Build([100], new Generator(7));
        b.Build([100], new Generator(7));
        Assert.Equal(a.Call(Ones, training: true).ToArray<double>(), b.Call(Ones, training: true).ToArray<double>());
    }

    [Fact]
    public void Rate_zero_is_the_identity_in_training()
    {
        var x = Random(2, 3, 3);
        Assert.Equal(x.ToArray<double>(), new Dropout(0).Call(x, training: true).ToArray<double>());
    }

    [Fact]
    public void Gradient_flows_through_kept_elements_only()
    {
        // A fresh layer per call replays the same mask, so finite differences see one fixed function.
        var result = GradientCheck.Run(a => new Dropout(0.4, seed: 3).Call(a[0], training: true), [Random(3, 4, 5)]);
        Assert.True(result.Passed, result.ToString());

        var x = Random(4, 4, 5);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = new Dropout(0.4, seed: 3).Call(x, training: true);
        var g = tape.Gradient(y.Sum(), x)!.ToArray<double>();
        var values = y.ToArray<double>();
        for (int i = 0; i < g.Length; i++) Assert.Equal(values[i] == 0 ? 0 : 1 / 0.6, g[i], 12);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Rate_outside_zero_one_is_rejected(double rate)
    {
        var e = Assert.Throws<ArgumentException>(() => new Dropout(rate, name: "drop"));
        Assert.Contains("Dropout 'drop': rate must be in [0, 1)", e.Message);
    }
}
