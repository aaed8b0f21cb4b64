using Descent.Optimizers;

namespace Descent.Tests.Optimizers;

[OnEveryDevice]
public class GradientClippingTests
{
    private static Tensor V(params double[] values) => Tensor.FromArray(values, values.Length);

    [Fact]
    public void ByValue_clips_elementwise_and_passes_nulls()
    {
        var clipped = GradientClipping.ByValue([V(-3, 0.5, 2), null], -1, 1);

        Assert.Equal([-1.0, 0.5, 1.0], clipped[0]!.ToArray<double>());
        Assert.Null(clipped[1]);
    }

    [Fact]
    public void ByNorm_rescales_each_tensor_on_its_own()
    {
        var clipped = GradientClipping.ByNorm([V(3, 4), V(0.3, 0.4), null], maxNorm: 1);

        Check.Close([0.6, 0.8], clipped[0]!.ToArray<double>(), 1e-15);
        Assert.Equal([0.3, 0.4], clipped[1]!.ToArray<double>());
        Assert.Null(clipped[2]);
    }

    [Fact]
    public void ByGlobalNorm_scales_all_by_the_joint_norm()
    {
        // Global norm sqrt(3² + 4² + 12²) = 13.
        var (clipped, norm) = GradientClipping.ByGlobalNorm([V(3, 4), null, V(12)], maxNorm: 6.5);

        Assert.Equal(13, norm.Item<double>(), 14);
        Check.Close([1.5, 2], clipped[0]!.ToArray<double>(), 1e-15);
        Assert.Null(clipped[1]);
        Check.Close([6], clipped[2]!.ToArray<double>(), 1e-15);
    }

    [Fact]
    public void ByGlobalNorm_below_the_limit_changes_nothing_and_NaN_poisons_all()
    {
        var (same, norm) = GradientClipping.ByGlobalNorm([V(3, 4)], maxNorm: 10);
        Assert.Equal(5, norm.Item<double>());
        Assert.Equal([3.0, 4.0], same[0]!.ToArray<double>());

        var (nan, nanNorm) = GradientClipping.ByGlobalNorm([V(1, double.PositiveInfinity), V(2)], maxNorm: 1);
        Assert.True(double.IsInfinity(nanNorm.Item<double>()));
        Assert.All(nan[1]!.ToArray<double>(), x => Assert.True(double.IsNaN(x)));
    }

    [Fact]
    public void Bad_limits_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => GradientClipping.ByValue([V(1)], 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ByNorm([V(1)], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ByGlobalNorm([V(1)], -2));
    }
}
