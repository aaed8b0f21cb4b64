using Descent.Optimizers;

namespace Descent.Tests.Optimizers;

[OnEveryDevice]
public class LearningRateScheduleTests
{
    [Fact]
    public void ExponentialDecay_is_continuous_or_staircase()
    {
        var smooth = new ExponentialDecay(0.1, decaySteps: 10, decayRate: 0.5);
        var stairs = new ExponentialDecay(0.1, decaySteps: 10, decayRate: 0.5, staircase: true);

        Assert.Equal(0.1, smooth.At(0), 15);
        Assert.Equal(0.1 * Math.Pow(0.5, 1.5), smooth.At(15), 15);
        Assert.Equal(0.05, stairs.At(15), 15);
        Assert.Equal(0.025, stairs.At(20), 15);
    }

    [Fact]
    public void StepDecay_drops_by_gamma_every_step_size() =>
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.25], new[] { 0L, 1, 2, 3, 4 }.Select(new StepDecay(1.0, stepSize: 2, gamma: 0.5).At));

    [Fact]
    public void CosineDecay_follows_half_cosine_to_alpha()
    {
        var s = new CosineDecay(0.2, decaySteps: 100, alpha: 0.1);

        Assert.Equal(0.2, s.At(0), 15);
        Assert.Equal(0.2 * (0.9 * 0.5 + 0.1), s.At(50), 15);
        Assert.Equal(0.2 * (0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)) + 0.1), s.At(25), 15);
        Assert.Equal(0.02, s.At(100), 15);
        Assert.Equal(0.02, s.At(1000), 15);
    }

    [Fact]
    public void CosineDecay_warms_up_linearly_then_decays_from_the_target()
    {
        var s = new CosineDecay(0.0, decaySteps: 10, warmupTarget: 1.0, warmupSteps: 4);

        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], new[] { 0L, 1, 2, 3, 4 }.Select(s.At));
        Assert.Equal(0.5, s.At(9), 15);
        Assert.Equal(0.0, s.At(14), 15);
        Assert.Equal(0.0, s.At(100), 15);
    }

    [Fact]
    public void PiecewiseConstantDecay_switches_after_each_boundary() =>
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.1, 0.1],
            new[] { 0L, 10, 11, 20, 21, 999 }.Select(new PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]).At));

    [Fact]
    public void Optimizer_reads_the_schedule_at_its_iteration_count()
    {
        var schedule = new PiecewiseConstantDecay([0, 1], [0.5, 0.25, 0.125]);
        var optimizer = new Adagrad(learningRate: 123) { Schedule = schedule };
        var w = new Variable(Tensor.Zeros([1], DType.Float64));
        var rates = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            rates.Add(optimizer.CurrentRate);
            double before = w.Item<double>();
            optimizer.ApplyGradients([Tensor.Ones([1], DType.Float64)], [w]);
            // Adagrad with g = 1: the i-th step moves by lr / √(i+1).
            Assert.Equal(rates[i] / Math.Sqrt(i + 1), before - w.Item<double>(), 9);
        }
        Assert.Equal([0.5, 0.25, 0.125], rates);
    }

    [Fact]
    public void Bad_schedule_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, 0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0.1, 10, alpha: 2));
        Assert.Contains("warmupTarget", Assert.Throws<ArgumentException>(() => new CosineDecay(0.1, 10, warmupSteps: 5)).Message);
        Assert.Contains("2 boundaries need 3 values", Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([1, 2], [1.0, 0.5])).Message);
        Assert.Contains("must increase", Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([2, 2], [1.0, 0.5, 0.1])).Message);
    }
}
