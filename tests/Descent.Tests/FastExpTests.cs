using Descent.Backends.Cpu;

namespace Descent.Tests;

public class FastExpTests
{
    private static float[] Run(float[] x)
    {
        var y = new float[x.Length];
        FastExp.Exp(x, y);
        return y;
    }

    [Fact]
    public void Exp_is_within_two_ulp_of_the_true_value_across_the_float_range()
    {
        var g = new Generator(3);
        var x = new float[10_007]; // odd length: the tail goes through the padded vector path
        for (int i = 0; i < x.Length; i++) x[i] = (float)(-87 + 175 * g.NextDouble());
        var y = Run(x);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Exp(x[i]);
            double ulp = MathF.BitIncrement((float)exact) - (float)exact;
            Assert.True(Math.Abs(y[i] - exact) <= 2 * ulp, $"exp({x[i]:R}) = {y[i]:R}, exact {exact:R}");
        }
    }

    [Fact]
    public void Exp_handles_zero_subnormals_overflow_and_nan()
    {
        var y = Run([0f, 1f, -100f, -104.5f, 88.7f, 89.5f, float.PositiveInfinity, float.NegativeInfinity, float.NaN]);
        Assert.Equal(1f, y[0]);
        Assert.Equal(MathF.Exp(1f), y[1], 6);
        Assert.True(y[2] > 0 && y[2] < 1e-38f && Math.Abs(y[2] - Math.Exp(-100)) < 2e-45, $"exp(-100) = {y[2]:R}");
        Assert.Equal(0f, y[3]);
        Assert.Equal(Math.Exp(88.7f), y[4], 1e32);
        Assert.Equal(float.PositiveInfinity, y[5]);
        Assert.Equal(float.PositiveInfinity, y[6]);
        Assert.Equal(0f, y[7]);
        Assert.True(float.IsNaN(y[8]));
    }

    [Fact]
    public void Tensor_exp_and_sigmoid_use_it_and_match_double_precision()
    {
        var x = Tensor.Linspace(-20, 20, 101);
        var exp = x.Exp().ToArray<float>();
        var sigmoid = x.Sigmoid().ToArray<float>();
        var xs = x.ToArray<float>();
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(Math.Exp(xs[i]), exp[i], Math.Exp(xs[i]) * 3e-7);
            Assert.Equal(1 / (1 + Math.Exp(-xs[i])), sigmoid[i], 3e-7);
        }
    }
}
