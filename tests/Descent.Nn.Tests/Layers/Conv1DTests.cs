using Descent.Nn.Initializers;
using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

/// <summary>Conv1D beyond the PyTorch fixtures: gradients, causality, layout, config and errors.</summary>
[OnEveryDevice]
public class Conv1DTests
{
    [Theory]
    [InlineData("valid", 1, 1)]
    [InlineData("same", 2, 1)]
    [InlineData("causal", 1, 2)]
    [InlineData("causal", 2, 1)]
    public void Gradients_match_finite_differences(string padding, int stride, int dilation) =>
        AssertGradientsMatch(new Conv1D(2, 3, stride, padding, dilation, activation: "tanh"), Random(3, 2, 7, 2));

    [Fact]
    public void Unfused_activation_gradients_match_finite_differences() =>
        AssertGradientsMatch(new Conv1D(2, 2, activation: "elu"), Random(4, 2, 5, 3) + 0.05);

    [Fact]
    public void Causal_output_never_depends_on_later_steps()
    {
        var conv = new Conv1D(3, 3, padding: "causal", dilationRate: 2) { DType = DType.Float64 };
        var x = Random(5, 1, 8, 2);
        var y = conv.Call(x).ToArray<double>();
        Assert.Equal([8, 3], conv.ComputeOutputShape([8, 2])); // causal keeps the length
        for (int t = 0; t < 8; t++)
        {
            // Changing step t and after leaves every output before t unchanged, and changes output t.
            var changed = Tensor.Concat([x.SliceAxis(1, 0, t), x.SliceAxis(1, t, 8 - t) + 1.0], axis: 1);
            var z = conv.Call(changed).ToArray<double>();
            Assert.Equal(y[..(t * 3)], z[..(t * 3)]);
            Assert.NotEqual(y[(t * 3)..(t * 3 + 3)], z[(t * 3)..(t * 3 + 3)]);
        }
    }

    [Fact]
    public void Kernel_has_keras_layout()
    {
        var conv = new Conv1D(8, 5, name: "c1");
        conv.Build([20, 4]);
        Assert.Equal([5, 4, 8], conv.Kernel!.Shape);
        Assert.Equal([8], conv.Bias!.Shape);
        Assert.Equal(["c1/kernel", "c1/bias"], conv.Variables.Select(v => v.Name));
        double limit = Math.Sqrt(6.0 / (5 * 4 + 5 * 8));
        Assert.All(conv.Kernel.ToArray<float>(), v => Assert.InRange(v, -limit, limit));
        Assert.Equal([16, 8], conv.ComputeOutputShape([20, 4]));
    }

    [Fact]
    public void Bias_and_activation_apply_after_the_convolution()
    {
        var conv = new Conv1D(1, 2, activation: "relu", kernelInitializer: new Ones(), biasInitializer: new Constant(-2)) { DType = DType.Float64 };
        var y = conv.Call(Tensor.FromArray(new[] { 0.5, 1, 2, 3 }, 1, 4, 1));
        AssertClose([0, 1, 3], y); // windows sum to 1.5, 3, 5; minus 2; relu
    }

    [Fact]
    public void Config_round_trips_and_reads_keras_single_numbers()
    {
        var conv = new Conv1D(4, 3, strides: 2, padding: "causal", dilationRate: 1, activation: "gelu", useBias: false, kernelInitializer: new HeUniform());
        Assert.Equal(ConfigJson(conv), ConfigJson(RoundTrip(conv)));
        var keras = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(
            """{"filters": 2, "kernel_size": 5, "strides": [3], "padding": "same"}""")!;
        var read = Assert.IsType<Conv1D>(LayerFactory.FromConfig("Conv1D", keras));
        Assert.Equal((5, 3, 1, "same"), (read.KernelSize, read.Strides, read.DilationRate, read.Padding));
    }

    [Fact]
    public void Bad_arguments_and_inputs_are_rejected_with_the_layer_name()
    {
        Assert.Contains("padding must be \"valid\", \"same\" or \"causal\"", Assert.Throws<ArgumentException>(() => new Conv1D(2, 3, padding: "full")).Message);
        Assert.Contains("must be positive", Assert.Throws<ArgumentException>(() => new Conv1D(2, 0)).Message);
        var conv = new Conv1D(2, 3, name: "c");
        Assert.Contains("Conv1D 'c': expects input [batch, steps, features]", Assert.Throws<ArgumentException>(() => conv.Call(Tensor.Zeros([2, 3, 4, 5]))).Message);
        Assert.Contains("shorter than the dilated kernel 3", Assert.Throws<ArgumentException>(() => conv.Call(Tensor.Zeros([1, 2, 1]))).Message);
        conv.Build([6, 2]);
        Assert.Contains("was built for 2 channels", Assert.Throws<ArgumentException>(() => conv.Call(Tensor.Zeros([1, 6, 3]))).Message);
    }
}
