using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class Conv2DTests
{
    /// <summary>TensorFlow's "same" padding before the data, and the output length.</summary>
    internal static (int Before, int Output) Geometry(int size, int k, int s, int d, bool same)
    {
        if (!same) return (0, (size - ((k - 1) * d + 1)) / s + 1);
        int output = (int)Math.Ceiling(size / (double)s);
        int total = Math.Max((output - 1) * s + (k - 1) * d + 1 - size, 0);
        return (total / 2, output);
    }

    /// <summary>A direct loop convolution of NHWC x with kernel [kh, kw, c, f]; padded cells read as zero.</summary>
    private static double[] NaiveConv(double[] x, int[] xs, double[] k, int[] ks, (int, int) s, (int, int) d, bool same, out int[] shape)
    {
        int b = xs[0], h = xs[1], w = xs[2], c = xs[3], kh = ks[0], kw = ks[1], f = ks[3];
        var (top, ho) = Geometry(h, kh, s.Item1, d.Item1, same);
        var (left, wo) = Geometry(w, kw, s.Item2, d.Item2, same);
        shape = [b, ho, wo, f];
        var y = new double[b * ho * wo * f];
        for (int n = 0; n < b; n++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++)
                    for (int o = 0; o < f; o++)
                    {
                        double sum = 0;
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                            {
                                int iy = oy * s.Item1 + i * d.Item1 - top, ix = ox * s.Item2 + j * d.Item2 - left;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                for (int ch = 0; ch < c; ch++)
                                    sum += x[((n * h + iy) * w + ix) * c + ch] * k[((i * kw + j) * c + ch) * f + o];
                            }
                        y[((n * ho + oy) * wo + ox) * f + o] = sum;
                    }
        return y;
    }

    [Theory]
    [InlineData("valid", 3, 3, 1, 1, 1, 1)]
    [InlineData("same", 3, 3, 1, 1, 1, 1)]
    [InlineData("same", 3, 3, 2, 2, 1, 1)]
    [InlineData("valid", 3, 3, 2, 2, 1, 1)]
    [InlineData("same", 2, 2, 2, 2, 1, 1)]
    [InlineData("valid", 3, 3, 1, 1, 2, 2)]
    [InlineData("same", 3, 3, 1, 1, 2, 2)]
    [InlineData("same", 2, 3, 2, 1, 1, 2)]
    [InlineData("valid", 1, 1, 1, 1, 1, 1)]
    public void Forward_matches_a_naive_loop_convolution(string padding, int kh, int kw, int sh, int sw, int dh, int dw)
    {
        var conv = new Conv2D(3, (kh, kw), (sh, sw), padding, (dh, dw)) { DType = DType.Float64 };
        var x = Random(1, 2, 7, 6, 2);
        conv.Build([7, 6, 2], new Generator(2));
        conv.Bias!.Assign(Tensor.FromArray(new double[] { 0.1, -0.2, 0.3 }));

        var y = conv.Call(x);

        var expected = NaiveConv(x.ToArray<double>(), [2, 7, 6, 2], conv.Kernel!.ToArray<double>(), [kh, kw, 2, 3], (sh, sw), (dh, dw), padding == "same", out var shape);
        for (int i = 0; i < expected.Length; i++) expected[i] += new[] { 0.1, -0.2, 0.3 }[i % 3];
        Assert.Equal(shape, y.Shape);
        Assert.Equal(shape[1..], conv.ComputeOutputShape([7, 6, 2]));
        AssertClose(expected, y, 1e-12);
    }

    [Fact]
    public void Same_padding_with_stride_puts_the_odd_row_after()
    {
        // 4x4 input, 3x3 kernel of ones, stride 2: pad total 1 (0 before, 1 after), so window (0,0) covers rows 0..2.
        var conv = new Conv2D(1, 3, strides: 2, padding: "same", useBias: false, kernelInitializer: new Descent.Nn.Initializers.Ones()) { DType = DType.Float64 };
        var x = Tensor.Arange(16, DType.Float64).Reshape(1, 4, 4, 1);
        var y = conv.Call(x);
        // Window rows 0-2, cols 0-2: 0+1+2+4+5+6+8+9+10 = 45; rows 0-2, cols 2-3: 2+3+6+7+10+11 = 39;
        // rows 2-3, cols 0-2: 8+9+10+12+13+14 = 66; rows 2-3, cols 2-3: 10+11+14+15 = 50.
        AssertClose([45, 39, 66, 50], y);
    }

    [Fact]
    public void Activation_is_applied_after_the_bias()
    {
        var conv = new Conv2D(2, 1, activation: "relu", kernelInitializer: new Descent.Nn.Initializers.Constant(-1), biasInitializer: new Descent.Nn.Initializers.Constant(0.5)) { DType = DType.Float64 };
        var y = conv.Call(Tensor.FromArray(new double[] { 1, 0.25 }, 1, 1, 2, 1));
        AssertClose([0, 0, 0.25, 0.25], y);
    }

    [Theory]
    [InlineData("valid", 1, 1)]
    [InlineData("same", 2, 1)]
    [InlineData("same", 1, 2)]
    public void Gradients_match_finite_differences(string padding, int stride, int dilation) =>
        AssertGradientsMatch(new Conv2D(2, 3, stride, padding, dilation, activation: "tanh"), Random(3, 2, 5, 4, 2));

    [Fact]
    public void Kernel_has_keras_layout_and_fans()
    {
        var conv = new Conv2D(8, (3, 2));
        conv.Build([10, 10, 4]);
        Assert.Equal([3, 2, 4, 8], conv.Kernel!.Shape);
        Assert.Equal([8], conv.Bias!.Shape);
        double limit = Math.Sqrt(6.0 / (3 * 2 * 4 + 3 * 2 * 8));
        Assert.All(conv.Kernel.ToArray<float>(), v => Assert.InRange(v, -limit, limit));
    }

    [Fact]
    public void Input_of_wrong_rank_is_rejected_with_the_layer_name()
    {
        var conv = new Conv2D(4, 3, name: "conv2d_1");
        var e = Assert.Throws<ArgumentException>(() => conv.Call(Tensor.Zeros([32, 64])));
        Assert.Contains("Conv2D 'conv2d_1': expects input [batch, height, width, channels]", e.Message);
        Assert.Contains("[64]", e.Message);
        Assert.False(conv.Built);

        conv.Build([8, 8, 3]);
        e = Assert.Throws<ArgumentException>(() => conv.Call(Tensor.Zeros([2, 8, 8, 5])));
        Assert.Contains("3 channels", e.Message);
    }

    [Fact]
    public void Input_smaller_than_the_kernel_is_rejected_for_valid_padding()
    {
        var e = Assert.Throws<ArgumentException>(() => new Conv2D(1, 3, dilationRate: 2).Build([4, 4, 1]));
        Assert.Contains("smaller than the dilated kernel 5x5", e.Message);
    }
}
