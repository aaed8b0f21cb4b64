using Descent.Nn.Layers;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class ValidationTests
{
    public static TheoryData<string, Func<Layer>, string> BadArguments() => new()
    {
        { "Dense 'x': units must be positive, got 0", () => new Dense(0, name: "x"), "" },
        { "Dense 'x': unknown activation 'relu6'; known:", () => new Dense(3, "relu6", name: "x"), "softplus" },
        { "Activation 'x': unknown activation 'Relu'", () => new Activation("Relu", name: "x"), "relu" },
        { "Conv2D 'x': filters must be positive", () => new Conv2D(-1, 3, name: "x"), "" },
        { "Conv2D 'x': kernel_size must be positive", () => new Conv2D(2, (0, 3), name: "x"), "" },
        { "Conv2D 'x': strides must be positive", () => new Conv2D(2, 3, strides: 0, name: "x"), "" },
        { "Conv2D 'x': dilation_rate must be positive", () => new Conv2D(2, 3, dilationRate: -2, name: "x"), "" },
        { "Conv2D 'x': padding must be \"valid\" or \"same\", got 'full'", () => new Conv2D(2, 3, padding: "full", name: "x"), "" },
        { "Conv2D 'x': unknown activation 'swish2'", () => new Conv2D(2, 3, activation: "swish2", name: "x"), "" },
        { "MaxPooling2D 'x': pool_size must be positive", () => new MaxPooling2D(0, name: "x"), "" },
        { "AveragePooling2D 'x': padding must be", () => new AveragePooling2D(padding: "causal", name: "x"), "" },
        { "Dropout 'x': rate must be in [0, 1)", () => new Dropout(1.5, name: "x"), "" },
        { "Embedding 'x': input_dim and output_dim must be positive", () => new Embedding(3, 0, name: "x"), "" },
        { "BatchNormalization 'x': epsilon must be positive", () => new BatchNormalization(epsilon: -1, name: "x"), "" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Bad_arguments_throw_naming_the_layer_and_the_problem(string expected, Func<Layer> create, string alsoContains)
    {
        var e = Assert.Throws<ArgumentException>(() => create());
        Assert.StartsWith(expected, e.Message);
        Assert.Contains(alsoContains, e.Message);
    }

    [Fact]
    public void Padding_is_case_insensitive_and_stored_lower_case() =>
        Assert.Equal("same", new Conv2D(1, 3, padding: "SAME").Padding);

    [Fact]
    public void Default_names_are_snake_case_and_unique()
    {
        var a = new Conv2D(1, 1);
        var b = new Conv2D(1, 1);
        Assert.StartsWith("conv2", a.Name);
        Assert.NotEqual(a.Name, b.Name);
    }
}
