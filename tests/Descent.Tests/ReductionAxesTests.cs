namespace Descent.Tests;

/// <summary>Which axes a reduction takes (null: all, []: none, as NumPy and TensorFlow), and Variance/Std's ddof.</summary>
[OnEveryDevice]
public class ReductionAxesTests
{
    private static readonly double[] Data = [1.5, -2, 0.25, 4, 3, -1];
    private static Tensor X(DType dtype = DType.Float64) => Tensor.FromArray(Data, 2, 3).Cast(dtype);

    public static TheoryData<string> Reductions => new() { "Sum", "Mean", "Max", "Min", "LogSumExp" };

    private static Tensor Reduce(string name, Tensor x, int[]? axes, bool keepDims) => name switch
    {
        "Sum" => x.Sum(axes, keepDims),
        "Mean" => x.Mean(axes, keepDims),
        "Max" => x.Max(axes, keepDims),
        "Min" => x.Min(axes, keepDims),
        _ => x.LogSumExp(axes, keepDims),
    };

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Empty_axes_reduce_nothing(string name)
    {
        foreach (bool keepDims in new[] { false, true })
        {
            var y = Reduce(name, X(), [], keepDims);
            Assert.Equal([2, 3], y.Shape);
            Check.Close(Data, y.ToArray<double>(), 1e-15, $"{name}([], keepDims: {keepDims})");
        }
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Null_axes_still_reduce_everything(string name)
    {
        Assert.Empty(Reduce(name, X(), null, false).Shape);
        Assert.Equal([1, 1], Reduce(name, X(), null, true).Shape);
        Assert.Equal(Reduce(name, X(), [0, 1], false).Item<double>(), Reduce(name, X(), null, false).Item<double>());
    }

    [Fact]
    public void Variance_and_std_over_no_axes_are_zero()
    {
        Assert.All(X().Variance([]).ToArray<double>(), v => Assert.Equal(0, v));
        Assert.All(X().Std([], keepDims: true).ToArray<double>(), v => Assert.Equal(0, v));
        Assert.Equal([2, 3], X().Std([]).Shape);
    }

    [Fact]
    public void The_gradient_through_no_axes_is_the_identity()
    {
        var x = new Variable(X());
        using var tape = new GradientTape();
        var y = (x.Sum([]) * x.Max([]) + x.Mean([])).Sum();

        // d/dx Σ(x·x + x) = 2x + 1.
        Check.Close(Data.Select(v => 2 * v + 1).ToArray(), tape.Gradient(y, x)!.ToArray<double>(), 1e-15);
    }

    [Fact]
    public void Bool_tensors_are_still_rejected_with_no_axes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Scalar(true).BroadcastTo(2).Sum([]));
        Assert.Contains("Sum: not defined for bool tensors", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Scalar(true).BroadcastTo(2).Max([]));
        Assert.Contains("Max: not defined for bool tensors", e.Message);
    }

    [Fact]
    public void Repeated_or_out_of_range_axes_still_throw()
    {
        Assert.Contains("Sum: axis 0 is repeated in [0,-2]", Assert.Throws<ArgumentException>(() => X().Sum([0, -2])).Message);
        Assert.Contains("Variance: axis 2 is out of range", Assert.Throws<ArgumentOutOfRangeException>(() => X().Variance([2], ddof: 1)).Message);
    }

    private static double SampleVariance(IEnumerable<double> values, int ddof)
    {
        var v = values.ToArray();
        double mean = v.Average();
        return v.Sum(x => (x - mean) * (x - mean)) / (v.Length - ddof);
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Ddof_divides_by_n_minus_ddof(DType dtype)
    {
        var x = X(dtype);
        double tol = Check.Tolerance(dtype) * 4;
        double[][] columns = [[Data[0], Data[3]], [Data[1], Data[4]], [Data[2], Data[5]]];
        double[][] rows = [Data[..3], Data[3..]];

        Check.Close([SampleVariance(Data, 0)], [x.Variance().Item<double>()], tol, "population variance");
        Check.Close([SampleVariance(Data, 1)], [x.Variance(ddof: 1).Item<double>()], tol, "sample variance");
        Check.Close([3], columns.Select(c => SampleVariance(c, 1)).ToArray(), x.Variance(0, ddof: 1), tol, "per column");
        Check.Close([2, 1], rows.Select(r => Math.Sqrt(SampleVariance(r, 2))).ToArray(), x.Std(1, keepDims: true, ddof: 2), tol, "std per row");
        Check.Close([Math.Sqrt(SampleVariance(Data, 1))], [x.Std([0, 1], ddof: 1).Item<double>()], tol, "sample std");
    }

    [Fact]
    public void Ddof_at_or_above_n_gives_infinity_or_NaN_as_NumPy()
    {
        var x = Tensor.FromArray(new[] { 1.0, 3.0, 2.0, 2.0 }, 2, 2);

        // Rows: [1, 3] has deviations, so ∞; [2, 2] has none, so 0/0 = NaN. ddof above n behaves as ddof = n.
        Assert.Equal([double.PositiveInfinity, double.NaN], x.Variance(1, ddof: 2).ToArray<double>());
        Assert.Equal([double.PositiveInfinity, double.NaN], x.Std(1, ddof: 5).ToArray<double>());
        Assert.All(x.Variance([], ddof: 1).ToArray<double>(), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void Negative_ddof_throws_naming_it()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => X().Variance(ddof: -1));
        Assert.Contains("Variance: ddof must be non-negative, got -1", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => X().Std(0, ddof: -2));
        Assert.Contains("ddof must be non-negative, got -2", e.Message);
    }
}
