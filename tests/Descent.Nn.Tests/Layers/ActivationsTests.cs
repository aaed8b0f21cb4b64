using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class ActivationsTests
{
    private static readonly double[] Xs = [-2, -0.5, 0.5, 3];

    private static double Erf(double x)
    {
        // Abramowitz–Stegun 7.1.26 is too coarse; integrate the series instead (converges fast for |x| ≤ 3).
        double sum = 0, term = x;
        for (int n = 0; n < 60; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    public static TheoryData<string, Func<double, double>> Scalars() => new()
    {
        { "linear", x => x },
        { "relu", x => Math.Max(x, 0) },
        { "sigmoid", x => 1 / (1 + Math.Exp(-x)) },
        { "tanh", Math.Tanh },
        { "elu", x => x > 0 ? x : Math.Exp(x) - 1 },
        { "gelu", x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))) },
        { "leaky_relu", x => x > 0 ? x : 0.2 * x },
        { "softplus", x => Math.Log(1 + Math.Exp(x)) },
        { "silu", x => x / (1 + Math.Exp(-x)) },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Elementwise_activations_match_closed_forms(string name, Func<double, double> expected) =>
        AssertClose(Xs.Select(expected).ToArray(), Activations.Get(name)(Tensor.FromArray(Xs)), 1e-12);

    [Fact]
    public void Softmax_normalizes_the_last_axis()
    {
        var y = Activations.Get("softmax")(Tensor.FromArray(new double[] { 1, 2, 3, 0, 0, 0 }, 2, 3));
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        AssertClose([Math.Exp(1) / z, Math.Exp(2) / z, Math.Exp(3) / z, 1 / 3.0, 1 / 3.0, 1 / 3.0], y, 1e-12);
    }

    [Fact]
    public void Null_is_linear() => AssertClose(Xs, Activations.Get(null)(Tensor.FromArray(Xs)));

    [Fact]
    public void Unknown_name_lists_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Activations.Get("relu6"));
        Assert.Contains("'relu6'", e.Message);
        Assert.Contains("leaky_relu", e.Message);
        Assert.Contains("softmax", e.Message);
    }

    [Fact]
    public void Activation_layer_applies_its_function_and_keeps_the_shape()
    {
        var layer = new Activation("relu");
        var y = layer.Call(Tensor.FromArray(new double[] { -1, 2, 0.5, -3 }, 2, 2));
        AssertClose([0, 2, 0.5, 0], y);
        Assert.Equal([5, 7], layer.ComputeOutputShape([5, 7]));
    }

    [Fact]
    public void Activation_layer_gradients_match() => AssertGradientsMatch(new Activation("elu"), Random(4, 3, 4));
}
