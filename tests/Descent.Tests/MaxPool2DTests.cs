using Descent.Backends;

namespace Descent.Tests;

/// <summary>The MaxPool2D op against the composed windows-and-Max form, PyTorch and finite differences.</summary>
[OnEveryDevice]
public class MaxPool2DTests
{
    private static Tensor R(long seed, int[] shape, DType dtype = DType.Float64) => Tensor.RandomUniform(shape, new Generator(seed), -1, 1, dtype);

    public static IEnumerable<object[]> Geometries =>
        from g in new (int[] X, (int, int) Pool, (int, int) Strides, string Padding)[]
        {
            ([2, 4, 6, 3], (2, 2), (2, 2), "valid"),
            ([2, 5, 5, 3], (2, 2), (2, 2), "same"),
            ([1, 6, 7, 2], (3, 3), (1, 1), "same"),
            ([1, 7, 5, 4], (3, 2), (2, 1), "valid"),
            ([3, 8, 8, 16], (2, 2), (2, 2), "valid"),
        }
        from dtype in new[] { DType.Float32, DType.Float64 }
        select new object[] { g.X, g.Pool, g.Strides, g.Padding, dtype };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_and_gradient_match_the_composed_windows_and_max(int[] shape, (int, int) pool, (int, int) strides, string padding, DType dtype)
    {
        // Distinct values, so each window has one maximum and both forms send the gradient to the same cell.
        var x = R(1, shape, dtype);
        Tensor[] Run(Func<Tensor, Tensor> f)
        {
            using var tape = new GradientTape();
            tape.Watch(x);
            var y = f(x);
            return [y, tape.Gradient((y * R(2, y.Shape.ToArray(), dtype)).Sum(), x)!];
        }
        var actual = Run(t => Tensor.MaxPool2D(t, pool, strides, padding));
        var expected = Run(t => ConvReference.MaxPool2D(t, pool, strides, padding));
        for (int i = 0; i < 2; i++)
            Check.Close(expected[i].Shape.ToArray(), expected[i].ToArray<double>(), actual[i], Check.Tolerance(dtype));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Forward_and_gradient_match_pytorch(int index)
    {
        var c = Conv2DTests.Fixture("max_pool2d", index);
        int[] xs = Conv2DTests.Ints(c, "x_shape"), ys = Conv2DTests.Ints(c, "y_shape"), p = Conv2DTests.Ints(c, "pool"), s = Conv2DTests.Ints(c, "strides");
        var x = Tensor.FromArray(Conv2DTests.Doubles(c, "x"), xs);
        var dy = Tensor.FromArray(Conv2DTests.Doubles(c, "dy"), ys);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = Tensor.MaxPool2D(x, (p[0], p[1]), (s[0], s[1]), c.GetProperty("padding").GetString()!);
        Check.Close(ys, Conv2DTests.Doubles(c, "y"), y, 0);
        Check.Close(xs, Conv2DTests.Doubles(c, "dx"), tape.Gradient((y * dy).Sum(), x)!, 1e-15);
    }

    [Fact]
    public void A_tie_sends_the_gradient_to_the_first_maximum_and_a_nan_wins()
    {
        // Two 2x2 windows side by side: the left one all ones, the right one holding a NaN beside a 2.
        var x = Tensor.FromArray(new double[] { 1, 1, 0, double.NaN, 1, 1, 2, 0 }, 1, 2, 4, 1);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = Tensor.MaxPool2D(x, (2, 2));
        Assert.Equal([1.0, double.NaN], y.ToArray<double>());
        Assert.Equal([1.0, 0, 0, 1, 0, 0, 0, 0], tape.Gradient(y.Sum(), x)!.ToArray<double>());
    }

    [Fact]
    public void Strided_input_reads_as_its_contiguous_copy()
    {
        var x = R(1, [2, 6, 5, 3]).Transpose(0, 2, 1, 3);
        Assert.False(x.Layout.IsContiguous);
        Assert.Equal(Tensor.MaxPool2D(x.Contiguous(), (2, 3), (1, 2), "same").ToArray<double>(), Tensor.MaxPool2D(x, (2, 3), (1, 2), "same").ToArray<double>());
    }

    [Fact]
    public void Gradients_of_first_and_second_order_match_finite_differences()
    {
        var first = GradientCheck.Run(t => Tensor.MaxPool2D(t[0].Transpose(0, 2, 1, 3), (2, 2), (1, 1), "same"), [R(1, [2, 4, 5, 2])]);
        Assert.True(first.Passed, first.ToString());
        // d/dx Σ r·pool(x)² is a scatter of 2·r·pool(x); its own gradient runs through a gather.
        var second = GradientCheck.Run(t =>
        {
            using var tape = new GradientTape();
            tape.Watch(t[0]);
            var y = Tensor.MaxPool2D(t[0], (3, 3), (2, 2), "same");
            return tape.Gradient((y.Square() * R(5, y.Shape.ToArray())).Sum(), t[0])!;
        }, [R(2, [1, 5, 5, 2])], tolerance: 1e-5);
        Assert.True(second.Passed, second.ToString());
    }

    public static IEnumerable<object[]> BadArguments =>
    [
        [(Action)(() => Tensor.MaxPool2D(Tensor.Zeros([4, 4, 1]), (2, 2))), "MaxPool2D: expects input [batch, height, width, channels] and positive pool sizes and strides, got [4,4,1]"],
        [(Action)(() => Tensor.MaxPool2D(Tensor.Zeros([1, 4, 4, 1]), (0, 2))), "pool (0, 2)"],
        [(Action)(() => Tensor.MaxPool2D(Tensor.Zeros([1, 4, 4, 1]), (2, 2), (2, -1))), "strides (2, -1)"],
        [(Action)(() => Tensor.MaxPool2D(Tensor.Zeros([1, 4, 4, 1]), (2, 2), padding: "causal")), "MaxPool2D: padding must be \"valid\" or \"same\""],
        [(Action)(() => Tensor.MaxPool2D(Tensor.Zeros([1, 1, 4, 1]), (2, 2))), "MaxPool2D: input [1,1,4,1] is smaller than the window [2,2]"],
        [(Action)(() => Tensor.MaxPool2D(Tensor.Zeros([1, 4, 4, 1], DType.Int64), (2, 2))), "MaxPool2D: expects a float32 or float64 tensor, got int64"],
    ];

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Bad_arguments_throw_naming_the_op_and_shapes(Action call, string message)
    {
        var e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Contains(message, e.Message);
    }
}
