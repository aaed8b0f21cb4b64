using Descent.Nn.Layers;
using Descent.Nn.Models;

namespace Descent.Onnx.Tests;

/// <summary>A user's own layer, x·factor; ExporterRegistryTests registers its exporter.</summary>
internal class Scale(double factor, string? name = null) : Layer(name)
{
    public double Factor { get; } = factor;

    public override int[] ComputeOutputShape(int[] inputShape) => (int[])inputShape.Clone();

    protected override Tensor Forward(Tensor inputs, bool training) => inputs * Factor;
}

/// <summary>A subclass of Scale with no exporter of its own.</summary>
internal sealed class Halve(string? name = null) : Scale(0.5, name);

/// <summary>A user's layer no exporter is ever registered for.</summary>
internal sealed class Unexportable(string? name = null) : Layer(name)
{
    public override int[] ComputeOutputShape(int[] inputShape) => (int[])inputShape.Clone();

    protected override Tensor Forward(Tensor inputs, bool training) => inputs.Abs();
}

/// <summary>A layer whose exporter (registered by a test) passes an attribute of a type ONNX has none for.</summary>
internal sealed class BadAttribute(string? name = null) : Layer(name)
{
    public override int[] ComputeOutputShape(int[] inputShape) => (int[])inputShape.Clone();

    protected override Tensor Forward(Tensor inputs, bool training) => inputs.Relu();
}

/// <summary>A subclassed model, y = outer(x + inner(x)): its Call is code, so only a registered exporter can write it.</summary>
internal class Residual : Model
{
    public Residual(string? name = null) : base(name, seed: 3)
    {
        Inner = AddLayer(new Dense(4, "tanh", name: "inner"));
        Outer = AddLayer(new Dense(2, name: "outer"));
    }

    public Dense Inner { get; }

    public Dense Outer { get; }

    public override Tensor Call(Tensor inputs, bool training = false) => Outer.Call(inputs + Inner.Call(inputs, training), training);
}

/// <summary>A subclass of Residual with no exporter of its own.</summary>
internal sealed class WiderResidual() : Residual("wider");

/// <summary>A subclassed model no exporter is ever registered for.</summary>
internal sealed class Opaque : Model
{
    private readonly Dense _dense;

    public Opaque() : base("opaque") => _dense = AddLayer(new Dense(2));

    public override Tensor Call(Tensor inputs, bool training = false) => _dense.Call(inputs, training).Abs();
}

/// <summary>A layer whose exporter (registered by a test) reads a value the graph does not have.</summary>
internal sealed class DanglingInput(string? name = null) : Layer(name)
{
    public override int[] ComputeOutputShape(int[] inputShape) => (int[])inputShape.Clone();

    protected override Tensor Forward(Tensor inputs, bool training) => inputs.Relu();
}
