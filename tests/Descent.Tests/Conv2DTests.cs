using System.Text.Json;
using Descent.Backends;
using Descent.Backends.Cpu;

namespace Descent.Tests;

/// <summary>
/// The Conv2D op and its backward products against the composed patches-and-MatMul convolution, PyTorch and finite
/// differences, on both CPU paths (direct kernels and im2col + GEMM). Some tests switch the path or the thread count,
/// so the class runs alone.
/// </summary>
[OnEveryDevice]
[Collection("Threads")]
public class Conv2DTests
{
    public static readonly Dictionary<string, (int[] X, int[] K, (int, int) Strides, string Padding, (int, int) Dilations)> Geometries = new()
    {
        ["3x3 same"] = ([2, 7, 6, 3], [3, 3, 3, 5], (1, 1), "same", (1, 1)),
        ["3x3 same stride 2, 16 filters"] = ([2, 7, 6, 3], [3, 3, 3, 16], (2, 2), "same", (1, 1)),
        ["3x2 valid stride (2,1) dilation 2, 20 filters"] = ([1, 9, 8, 2], [3, 2, 2, 20], (2, 1), "valid", (2, 2)),
        ["one input channel, as the digits cnn"] = ([3, 8, 8, 1], [3, 3, 1, 16], (1, 1), "same", (1, 1)),
        ["16 to 32 channels, as the digits cnn"] = ([2, 4, 4, 16], [3, 3, 16, 32], (1, 1), "same", (1, 1)),
        ["1x1, 17 channels to 70"] = ([1, 6, 7, 17], [1, 1, 17, 70], (1, 1), "valid", (1, 1)),
        ["5x5 same stride 3"] = ([2, 8, 8, 5], [5, 5, 5, 3], (3, 3), "same", (1, 1)),
        ["valid to a single pixel"] = ([1, 3, 3, 2], [3, 3, 2, 4], (1, 1), "valid", (1, 1)),
        ["1440 pixels: the filter gradient sums them in chunks"] = ([4, 20, 18, 3], [3, 3, 3, 8], (1, 1), "same", (1, 1)),
        ["4x1 same stride (2,1), 40 input channels"] = ([2, 10, 3, 40], [4, 1, 40, 7], (2, 1), "same", (1, 1)),
    };

    public static IEnumerable<object[]> GeometryCases =>
        from name in Geometries.Keys
        from dtype in new[] { DType.Float32, DType.Float64 }
        from direct in new[] { true, false }
        select new object[] { name, dtype, direct };

    internal static Tensor R(long seed, int[] shape, DType dtype = DType.Float64) => Tensor.RandomUniform(shape, new Generator(seed), -1, 1, dtype);

    internal static T OnPath<T>(bool direct, Func<T> run)
    {
        bool saved = CpuBackend.DirectConvolution;
        try
        {
            CpuBackend.DirectConvolution = direct;
            return run();
        }
        finally
        {
            CpuBackend.DirectConvolution = saved;
        }
    }

    /// <summary>y = conv(x, k) and the gradients of Σ y·r with respect to x and k.</summary>
    private static Tensor[] ValueAndGradients(Func<Tensor, Tensor, Tensor> conv, Tensor x, Tensor k, Tensor r)
    {
        using var tape = new GradientTape();
        tape.Watch([x, k]);
        var y = conv(x, k);
        var grads = tape.Gradient((y * r).Sum(), [x, k]);
        return [y, grads[0]!, grads[1]!];
    }

    private static double Tolerance(DType dtype) => dtype == DType.Float32 ? 2e-5 : 1e-12;

    [Theory]
    [MemberData(nameof(GeometryCases))]
    public void Forward_and_gradients_match_the_composed_patches_and_matmul(string name, DType dtype, bool direct)
    {
        var (xs, ks, strides, padding, dilations) = Geometries[name];
        var x = R(1, xs, dtype);
        var k = R(2, ks, dtype);
        var (_, _, ho) = ConvReference.Axis(xs[1], ks[0], strides.Item1, dilations.Item1, padding);
        var (_, _, wo) = ConvReference.Axis(xs[2], ks[1], strides.Item2, dilations.Item2, padding);
        var r = R(3, [xs[0], ho, wo, ks[3]], dtype);

        var actual = OnPath(direct, () => ValueAndGradients((a, b) => Tensor.Conv2D(a, b, strides, padding, dilations), x, k, r));
        var expected = ValueAndGradients((a, b) => ConvReference.Conv2D(a, b, strides, padding, dilations), x, k, r);

        string[] what = ["y", "dx", "dw"];
        // float32 sums drift with their length: dw sums over every output pixel, in a different order than MatMul.
        int pixels = xs[0] * ho * wo;
        for (int i = 0; i < 3; i++)
            Check.Close(expected[i].Shape.ToArray(), expected[i].ToArray<double>(), actual[i],
                i == 2 && dtype == DType.Float32 ? Math.Max(2e-5, 1e-7 * pixels) : Tolerance(dtype), $"{name} {what[i]}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Strided_views_read_the_same_as_contiguous_operands(bool direct)
    {
        // x arrives as a transposed view, the kernel as a permuted one and the output gradient as a slice.
        var xt = R(4, [2, 6, 7, 3]);
        var kt = R(5, [5, 3, 3, 3]);
        var rWide = R(6, [2, 4, 6, 9]); // stride 2 over 7 rows: 4 output rows
        var x = xt.Transpose(0, 2, 1, 3);
        var k = kt.Transpose(1, 2, 3, 0);
        var r = rWide[.., .., .., 2..7];
        Assert.False(x.Layout.IsContiguous || k.Layout.IsContiguous || r.Layout.IsContiguous);

        var actual = OnPath(direct, () => ValueAndGradients((a, b) => Tensor.Conv2D(a, b, (2, 1), "same"), x, k, r));
        var expected = OnPath(direct, () => ValueAndGradients((a, b) => Tensor.Conv2D(a, b, (2, 1), "same"), x.Contiguous(), k.Contiguous(), r.Contiguous()));
        for (int i = 0; i < 3; i++)
            Check.Close(expected[i].Shape.ToArray(), expected[i].ToArray<double>(), actual[i], 1e-13);
        // The backward products take strided output gradients directly too.
        var dx = OnPath(direct, () => Tensor.Conv2DBackpropInput([2, 7, 6, 3], k, r, (2, 1), "same"));
        var dw = OnPath(direct, () => Tensor.Conv2DBackpropFilter(x, [3, 3, 3, 5], r, (2, 1), "same"));
        Check.Close([2, 7, 6, 3], expected[1].ToArray<double>(), dx, 1e-13);
        Check.Close([3, 3, 3, 5], expected[2].ToArray<double>(), dw, 1e-13);
    }

    public static IEnumerable<object[]> FixtureCases =>
        from i in Enumerable.Range(0, 4)
        from dtype in new[] { DType.Float32, DType.Float64 }
        from direct in new[] { true, false }
        select new object[] { i, dtype, direct };

    /// <summary>Fixtures/conv2d.json, made by Fixtures/conv2d.py with PyTorch in float64.</summary>
    internal static JsonElement Fixture(string kind, int index)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "conv2d.json")));
        return json.RootElement.GetProperty(kind)[index].Clone();
    }

    internal static double[] Doubles(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    internal static int[] Ints(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Forward_and_backward_products_match_pytorch(int index, DType dtype, bool direct)
    {
        var c = Fixture("conv2d", index);
        int[] xs = Ints(c, "x_shape"), ws = Ints(c, "w_shape"), ys = Ints(c, "y_shape"), s = Ints(c, "strides"), d = Ints(c, "dilations");
        string padding = c.GetProperty("padding").GetString()!;
        var x = Tensor.FromArray(Doubles(c, "x"), xs).Cast(dtype);
        var w = Tensor.FromArray(Doubles(c, "w"), ws).Cast(dtype);
        var dy = Tensor.FromArray(Doubles(c, "dy"), ys).Cast(dtype);
        double tolerance = dtype == DType.Float32 ? 1e-5 : 1e-12;
        OnPath(direct, () =>
        {
            Check.Close(ys, Doubles(c, "y"), Tensor.Conv2D(x, w, (s[0], s[1]), padding, (d[0], d[1])), tolerance, "y");
            Check.Close(xs, Doubles(c, "dx"), Tensor.Conv2DBackpropInput(xs, w, dy, (s[0], s[1]), padding, (d[0], d[1])), tolerance, "dx");
            Check.Close(ws, Doubles(c, "dw"), Tensor.Conv2DBackpropFilter(x, ws, dy, (s[0], s[1]), padding, (d[0], d[1])), tolerance, "dw");
            return 0;
        });
    }

    public static readonly Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> FirstOrder = new()
    {
        ["same"] = (t => Tensor.Conv2D(t[0], t[1], padding: "same"), () => [R(1, [2, 4, 5, 2]), R(2, [3, 3, 2, 3])]),
        ["same stride 2 with bias and tanh"] = (t => Tensor.Conv2D(t[0], t[1], (2, 2), "same", bias: t[2], activation: FusedActivation.Tanh),
            () => [R(1, [1, 5, 6, 2]), R(2, [3, 2, 2, 3]), R(3, [3])]),
        ["valid dilation 2 with bias and sigmoid"] = (t => Tensor.Conv2D(t[0], t[1], padding: "valid", dilations: (2, 2), bias: t[2], activation: FusedActivation.Sigmoid),
            () => [R(1, [1, 6, 5, 2]), R(2, [2, 2, 2, 2]), R(3, [2])]),
        ["transposed input, permuted kernel"] = (t => Tensor.Conv2D(t[0].Transpose(0, 2, 1, 3), t[1].Transpose(1, 2, 3, 0), (1, 2), "same"),
            () => [R(1, [1, 5, 4, 2]), R(2, [3, 3, 2, 2])]),
        ["backprop input"] = (t => Tensor.Conv2DBackpropInput([1, 5, 5, 2], t[0], t[1], (2, 2), "same"), () => [R(1, [3, 3, 2, 3]), R(2, [1, 3, 3, 3])]),
        ["backprop filter"] = (t => Tensor.Conv2DBackpropFilter(t[0], [2, 3, 2, 3], t[1], (1, 2), "valid", (2, 1)), () => [R(1, [1, 5, 6, 2]), R(2, [1, 3, 2, 3])]),
    };

    public static IEnumerable<object[]> FirstOrderCases => FirstOrder.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(FirstOrderCases))]
    public void Gradients_match_finite_differences(string name)
    {
        var (f, inputs) = FirstOrder[name];
        var result = GradientCheck.Run(f, inputs());
        Assert.True(result.Passed, $"{name}: {result}");
    }

    /// <summary>∂/∂(input <paramref name="wrt"/>) of Σ r·tanh(conv(x, k)), taken with an inner tape.</summary>
    private static Func<Tensor[], Tensor> Derivative(int wrt, (int, int) strides, string padding) => t =>
    {
        using var tape = new GradientTape();
        tape.Watch(t);
        var y = Tensor.Conv2D(t[0], t[1], strides, padding).Tanh();
        return tape.Gradient((y * R(9, y.Shape.ToArray())).Sum(), t[wrt])!;
    };

    [Theory]
    [InlineData(0, 1, "same")]
    [InlineData(1, 1, "same")]
    [InlineData(0, 2, "valid")]
    [InlineData(1, 2, "same")]
    public void Second_order_gradients_match_finite_differences(int wrt, int stride, string padding)
    {
        var result = GradientCheck.Run(Derivative(wrt, (stride, stride), padding), [R(1, [2, 5, 5, 2]), R(2, [3, 3, 2, 3])], tolerance: 1e-5);
        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [InlineData(FusedActivation.Linear)]
    [InlineData(FusedActivation.Relu)]
    [InlineData(FusedActivation.Sigmoid)]
    [InlineData(FusedActivation.Tanh)]
    public void Fused_bias_and_activation_match_the_composed_form(FusedActivation activation)
    {
        var x = R(1, [2, 5, 5, 3]);
        var k = R(2, [3, 3, 3, 4]);
        var bias = R(3, [4]);
        Func<Tensor, Tensor> composed = activation switch
        {
            FusedActivation.Relu => t => t.Relu(),
            FusedActivation.Sigmoid => t => t.Sigmoid(),
            FusedActivation.Tanh => t => t.Tanh(),
            _ => t => t,
        };
        Tensor[] Run(Func<Tensor> f)
        {
            using var tape = new GradientTape();
            tape.Watch([x, k, bias]);
            var y = f();
            return [y, .. tape.Gradient((y * y).Sum(), [x, k, bias]).Select(g => g!)];
        }
        var fused = Run(() => Tensor.Conv2D(x, k, padding: "same", bias: bias, activation: activation));
        var expected = Run(() => composed(Tensor.Conv2D(x, k, padding: "same") + bias));
        for (int i = 0; i < fused.Length; i++)
            Check.Close(expected[i].Shape.ToArray(), expected[i].ToArray<double>(), fused[i], 1e-12);
    }

    public static IEnumerable<object[]> BadArguments =>
    [
        [(Action)(() => Tensor.Conv2D(Tensor.Zeros([2, 3, 4]), Tensor.Zeros([3, 3, 1, 1]))), "Conv2D: expects input [batch, height, width, channels] and kernel [kh, kw, channels, filters], got [2,3,4] and [3,3,1,1]"],
        [(Action)(() => Tensor.Conv2D(Tensor.Zeros([1, 5, 5, 2]), Tensor.Zeros([3, 3, 3, 4]))), "got [1,5,5,2] and [3,3,3,4]"],
        [(Action)(() => Tensor.Conv2D(Tensor.Zeros([1, 5, 5, 2], DType.Float64), Tensor.Zeros([3, 3, 2, 4]))), "Conv2D: dtypes differ: float64 and float32"],
        [(Action)(() => Tensor.Conv2D(Tensor.Zeros([1, 5, 5, 2], DType.Int32), Tensor.Zeros([3, 3, 2, 4], DType.Int32))), "Conv2D: expects a float32 or float64 tensor, got int32"],
        [(Action)(() => Tensor.Conv2D(Tensor.Zeros([1, 5, 5, 2]), Tensor.Zeros([3, 3, 2, 4]), padding: "full")), "Conv2D: padding must be \"valid\" or \"same\", got 'full'"],
        [(Action)(() => Tensor.Conv2D(Tensor.Zeros([1, 5, 5, 2]), Tensor.Zeros([3, 3, 2, 4]), (0, 1))), "Conv2D: strides and dilations must be positive"],
        [(Action)(() => Tensor.Conv2D(Tensor.Zeros([1, 5, 5, 2]), Tensor.Zeros([3, 3, 2, 4]), dilations: (1, -1))), "Conv2D: strides and dilations must be positive"],
        [(Action)(() => Tensor.Conv2D(Tensor.Zeros([1, 2, 5, 2]), Tensor.Zeros([3, 3, 2, 4]))), "Conv2D: input [1,2,5,2] is smaller than the window [3,3,2,4]"],
        [(Action)(() => Tensor.Conv2D(Tensor.Zeros([1, 5, 5, 2]), Tensor.Zeros([0, 3, 2, 4]))), "Conv2D: the kernel [0,3,2,4] has an empty window"],
        [(Action)(() => Tensor.Conv2D(Tensor.Zeros([1, 5, 5, 2]), Tensor.Zeros([3, 3, 2, 4]), bias: Tensor.Zeros([3]))), "Conv2D: bias has shape [3], expected [4]"],
        [(Action)(() => Tensor.Conv2DBackpropInput([1, 5, 5, 2], Tensor.Zeros([3, 3, 2, 4]), Tensor.Zeros([1, 5, 5, 3]), padding: "same")),
            "Conv2DBackpropInput: the output gradient has shape [1,5,5,3], but input [1,5,5,2] and kernel [3,3,2,4] give an output of [1,5,5,4]"],
        [(Action)(() => Tensor.Conv2DBackpropFilter(Tensor.Zeros([1, 5, 5, 2]), [3, 3, 2, 4], Tensor.Zeros([1, 3, 3, 4]), padding: "same")),
            "Conv2DBackpropFilter: the output gradient has shape [1,3,3,4]"],
        [(Action)(() => Tensor.Conv2DBackpropFilter(Tensor.Zeros([1, 5, 5, 2]), [3, 3, 4], Tensor.Zeros([1, 3, 3, 4]))), "Conv2DBackpropFilter: expects input"],
    ];

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Bad_arguments_throw_naming_the_op_and_shapes(Action call, string message)
    {
        var e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Contains(message, e.Message);
    }
}
