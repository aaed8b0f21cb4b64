using System.Text.Json;
using Descent.Nn.Initializers;
using Descent.Nn.Layers;

namespace Descent.Nn.Tests.Helpers;

/// <summary>A minimal dense layer for these tests, until the real Dense is merged.</summary>
internal sealed class TestDense(int units, string activation = "linear", string? name = null) : Layer(name)
{
    private Variable? _kernel, _bias;

    public int Units => units;

    public Variable Kernel => _kernel ?? throw new InvalidOperationException("not built");

    public Variable Bias => _bias ?? throw new InvalidOperationException("not built");

    public override int[] ComputeOutputShape(int[] inputShape) => [.. inputShape[..^1], units];

    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["name"] = Name, ["units"] = units, ["activation"] = activation };

    public static TestDense FromConfig(IReadOnlyDictionary<string, JsonElement> config) =>
        new(config["units"].GetInt32(), config["activation"].GetString()!, config["name"].GetString());

    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        _kernel = AddWeight("kernel", [inputShape[^1], units], new UniformInit(1.0), generator);
        _bias = AddWeight("bias", [units], new UniformInit(0.1), generator);
    }

    protected override Tensor Forward(Tensor inputs, bool training)
    {
        var y = inputs.MatMul(Kernel) + Bias;
        return activation switch
        {
            "sigmoid" => y.Sigmoid(),
            "tanh" => y.Tanh(),
            "relu" => y.Relu(),
            "softmax" => y.Softmax(-1),
            _ => y,
        };
    }
}

/// <summary>Uniform in [-limit, limit].</summary>
internal sealed class UniformInit(double limit) : Initializer
{
    public override Tensor Create(int[] shape, DType dtype, Generator generator) =>
        Tensor.RandomUniform(shape, generator, -limit, limit, dtype);
}

/// <summary>Inverted dropout whose masks come from the generator the layer was built with.</summary>
internal sealed class TestDropout(double rate, string? name = null) : Layer(name)
{
    private Generator? _generator;

    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    protected override void OnBuild(int[] inputShape, Generator generator) => _generator = generator;

    protected override Tensor Forward(Tensor inputs, bool training)
    {
        if (!training) return inputs;
        var keep = Tensor.Greater(Tensor.RandomUniform([.. inputs.Shape], _generator!, 0, 1, inputs.DType), Tensor.Scalar(rate, inputs.DType)).Cast(inputs.DType);
        return inputs * keep / (1 - rate);
    }
}
