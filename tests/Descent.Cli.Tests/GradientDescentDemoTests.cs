using Descent.Cli.Demos;

namespace Descent.Cli.Tests;

public class GradientDescentDemoTests
{
    [Fact]
    public void F_rounds_like_pythons_3_times_x_squared()
    {
        // x_2 of the article's run; Python's 3 * x ** 2 + 2 * x + 1 gives 1.1152000000000006.
        // Rounding 3x first, as C#'s 3 * x * x does, would give 1.1152000000000004.
        double x = -0.7200000000000002;
        Assert.Equal(1.1152000000000006, GradientDescentDemo.F(x));
        Assert.NotEqual(3 * x * x + 2 * x + 1, GradientDescentDemo.F(x));
    }

    [Theory]
    [InlineData(-10, 0.2)]
    [InlineData(5, 0.1)]
    [InlineData(100, 0.15)]
    public void Every_step_matches_the_closed_form_within_a_few_ulps(double x0, double lr)
    {
        // x_n + 1/3 = (x0 + 1/3)·r^n with r = 1 - 6·lr. The loop rounds at every step, so allow a few
        // ulps of the larger of the two terms being added.
        var result = GradientDescentDemo.Run(x0, lr, 200);
        double r = 1 - 6 * lr;
        foreach (var step in result.History)
        {
            double distance = (x0 - GradientDescentDemo.MinimumX) * Math.Pow(r, step.Iteration);
            double closed = GradientDescentDemo.MinimumX + distance;
            double scale = Math.Max(Math.Max(Math.Abs(closed), Math.Abs(distance)), 1.0 / 3);
            Assert.True(Math.Abs(step.X - closed) <= 8 * (Math.BitIncrement(scale) - scale),
                $"step {step.Iteration}: loop {step.X:R}, closed form {closed:R}");
        }
    }

    [Fact]
    public void History_holds_start_every_point_and_final()
    {
        var result = GradientDescentDemo.Run(-10, 0.2, 3);
        Assert.Equal(4, result.History.Count);
        Assert.Equal([0, 1, 2, 3], result.History.Select(s => s.Iteration));
        Assert.Equal(-10, result.History[0].X);
        Assert.Equal(281, result.History[0].Y);
        Assert.Equal(-58, result.History[0].Grad);
        Assert.Equal(-10 - (-58) * 0.2, result.History[1].X);
        Assert.Equal(result.History[^2].Y, result.ArticleResult);
    }

    [Theory]
    [InlineData(0.2, "Converges")]
    [InlineData(0.1, "Converges")]
    [InlineData(1.0 / 3, "Oscillates")]
    [InlineData(0, "Stalls")]
    [InlineData(0.34, "Diverges")]
    [InlineData(-0.01, "Diverges")]
    public void Regime_follows_the_size_of_one_minus_six_lr(double lr, string expected) =>
        // The regime travels as a string because a public test method cannot take an internal enum.
        Assert.Equal(Enum.Parse<GradientDescentRegime>(expected), GradientDescentDemo.Classify(lr));

    [Fact]
    public void Diverging_run_stops_before_any_value_overflows()
    {
        var result = GradientDescentDemo.Run(-10, 0.5, 10_000);
        Assert.True(result.Stopped);
        Assert.Equal(result.Iterations + 1, result.OverflowIteration);
        Assert.True(result.Iterations < 10_000);
        Assert.All(result.History, s => Assert.True(double.IsFinite(s.X) && double.IsFinite(s.Y) && double.IsFinite(s.Grad)));
        double next = result.FinalX - GradientDescentDemo.Grad(result.FinalX) * 0.5;
        Assert.True(double.IsPositiveInfinity(GradientDescentDemo.F(next)));
    }

    [Fact]
    public void Lr_one_third_jumps_between_x0_and_its_mirror()
    {
        var result = GradientDescentDemo.Run(-10, 1.0 / 3, 1000);
        Assert.False(result.Stopped);
        Assert.Equal(-10, result.History[1000].X, 1e-9);
        Assert.Equal(-2.0 / 3 + 10, result.History[999].X, 1e-9);
    }

    [Theory]
    [InlineData(double.NaN, 0.2, 10)]
    [InlineData(1e200, 0.2, 10)]
    [InlineData(-10, double.PositiveInfinity, 10)]
    [InlineData(-10, 0.2, -1)]
    [InlineData(-10, 0.2, GradientDescentDemo.MaxEpochs + 1)]
    public void Bad_arguments_throw(double x0, double lr, int epochs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientDescentDemo.Run(x0, lr, epochs));
}
