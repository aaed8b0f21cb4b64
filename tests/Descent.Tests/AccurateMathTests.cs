namespace Descent.Tests;

/// <summary>tanh and log1p near zero, where the naive formulas lose every digit, against double-precision references.</summary>
[OnEveryDevice]
public class AccurateMathTests
{
    private static readonly double[] Small = [0.3, 0.01, 1e-3, 1e-5, 1e-8, 1e-20, -1e-8, -0.01, -0.3];

    // log1p by its series: for |x| ≤ 0.3 forty terms reach double precision.
    private static double Log1pSeries(double x)
    {
        double sum = 0, power = x;
        for (int k = 1; k <= 40; k++, power *= -x) sum += power / k;
        return sum;
    }

    private static float Ulps(float a, float b) => Math.Abs(BitConverter.SingleToInt32Bits(a) - BitConverter.SingleToInt32Bits(b));

    [Fact]
    public void Float32_tanh_is_within_one_ulp_of_the_rounded_double_result_near_zero()
    {
        var y = Tensor.FromArray(Small.Select(v => (float)v).ToArray()).Tanh().ToArray<float>();
        for (int i = 0; i < Small.Length; i++)
            Assert.True(Ulps(y[i], (float)Math.Tanh((float)Small[i])) <= 1, $"tanh({Small[i]}) = {y[i]}");
    }

    [Fact]
    public void Float32_log1p_is_within_one_ulp_of_the_series_near_zero()
    {
        var y = Tensor.FromArray(Small.Select(v => (float)v).ToArray()).Log1p().ToArray<float>();
        for (int i = 0; i < Small.Length; i++)
            Assert.True(Ulps(y[i], (float)Log1pSeries((float)Small[i])) <= 1, $"log1p({Small[i]}) = {y[i]}");
    }

    [Fact]
    public void Float64_tanh_and_log1p_are_within_a_few_ulps_near_zero()
    {
        var x = Tensor.FromArray(Small);
        var tanh = x.Tanh().ToArray<double>();
        var log1p = x.Log1p().ToArray<double>();
        for (int i = 0; i < Small.Length; i++)
        {
            Assert.Equal(Math.Tanh(Small[i]), tanh[i], Math.Abs(Math.Tanh(Small[i])) * 9e-16); // about 4 ulps
            Assert.Equal(Log1pSeries(Small[i]), log1p[i], Math.Abs(Log1pSeries(Small[i])) * 9e-16);
        }
    }

    [Fact]
    public void Signed_zeros_infinities_and_nan_come_out_as_ieee_says()
    {
        float[] x = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 30f, -30f];
        var tanh = Tensor.FromArray(x).Tanh().ToArray<float>();
        Assert.Equal([0f, -0f, 1f, -1f], tanh[..4]);
        Assert.True(float.IsNegative(tanh[1]));
        Assert.True(float.IsNaN(tanh[4]));
        Assert.Equal([1f, -1f], tanh[5..]);

        float[] l = [0f, -0f, float.PositiveInfinity, -1f, -2f, float.NaN];
        var log1p = Tensor.FromArray(l).Log1p().ToArray<float>();
        Assert.True(log1p[0] == 0 && !float.IsNegative(log1p[0]) && float.IsNegative(log1p[1]));
        Assert.Equal(float.PositiveInfinity, log1p[2]);
        Assert.Equal(float.NegativeInfinity, log1p[3]);
        Assert.True(float.IsNaN(log1p[4]) && float.IsNaN(log1p[5]));
    }

    [Fact]
    public void Fused_dense_tanh_matches_the_unfused_activation()
    {
        var x = Tensor.RandomNormal([5, 7], seed: 2) * 1e-3;
        var w = Tensor.RandomNormal([7, 300], seed: 3);
        var fused = Tensor.Dense(x, w, null, FusedActivation.Tanh).ToArray<float>();
        Assert.Equal(Tensor.MatMul(x, w).Tanh().ToArray<float>(), fused);
    }
}
