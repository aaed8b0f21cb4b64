using Descent.Nn.Layers;

namespace Descent.Nn.Models;

/// <summary>
/// A plain stack of layers, each feeding the next (Keras's Sequential). Built from <c>inputShape</c> when given,
/// else from the first batch it sees; <see cref="Model.Seed"/> fixes every initial weight.
/// </summary>
public sealed class Sequential : Model
{
    /// <summary>Creates the stack; with <paramref name="inputShape"/> (batch axis excluded) the weights are created at once.</summary>
    public Sequential(IEnumerable<Layer>? layers = null, int[]? inputShape = null, long seed = 0, string? name = null)
        : base(name, seed)
    {
        foreach (var layer in layers ?? []) Add(layer);
        if (inputShape is not null) Build(inputShape);
    }

    private protected override bool NeedsInputShape => true;

    /// <summary>Appends <paramref name="layer"/>; in a built model it is built at once from the previous output shape.</summary>
    public void Add(Layer layer)
    {
        AddLayer(layer);
        if (InputShape is not null) layer.Build(OutputShapeBefore(Layers.Count - 1), BuildGenerator);
    }

    /// <summary>Builds each layer in turn from the shape the previous one produces.</summary>
    public override void Build(int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (InputShape is not null && !inputShape.SequenceEqual(InputShape))
            throw new InvalidOperationException($"{Name}: built for inputs [{string.Join(", ", InputShape)}], cannot rebuild for [{string.Join(", ", inputShape)}].");
        InputShape = (int[])inputShape.Clone();
        var shape = InputShape;
        foreach (var layer in Layers)
        {
            layer.Build(shape, BuildGenerator);
            shape = layer.ComputeOutputShape(shape);
        }
    }

    /// <summary>Runs the layers in order, building the model from the first batch if needed.</summary>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (Layers.Count == 0) throw new InvalidOperationException($"{Name}: the model has no layers; Add some first.");
        if (InputShape is null)
        {
            if (inputs.Rank < 1) throw new ArgumentException($"{Name}: expects a batch with a leading batch axis, got a scalar.");
            // The weights go where the first batch lives, whatever the default device.
            using (Device.Use(inputs.Device)) Build(inputs.Shape.Skip(1).ToArray());
        }
        var x = inputs;
        Tensor? mask = null; // Keras's implicit mask: made by a layer such as Embedding(maskZero), passed to the next
        foreach (var layer in Layers)
        {
            var y = layer.Call(x, training, mask);
            mask = layer.ComputeMask(x, mask);
            x = y;
        }
        return x;
    }

    /// <summary>The input shape of layer <paramref name="index"/> (batch axis excluded), once the model has an input shape.</summary>
    internal int[] OutputShapeBefore(int index)
    {
        var shape = InputShape ?? throw new InvalidOperationException($"{Name}: the input shape is not known yet.");
        for (int i = 0; i < index; i++) shape = Layers[i].ComputeOutputShape(shape);
        return shape;
    }
}
