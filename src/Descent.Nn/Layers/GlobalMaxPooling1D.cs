namespace Descent.Nn.Layers;

/// <summary>The maximum over the steps: [batch, steps, channels] becomes [batch, channels] (or [batch, 1, channels] with <see cref="KeepDims"/>).</summary>
public sealed class GlobalMaxPooling1D(bool keepDims = false, string? name = null) : Layer(name)
{
    /// <summary>Whether the steps axis is kept with size 1.</summary>
    public bool KeepDims { get; } = keepDims;

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        LayerArgs.CheckSequence(this, inputShape, batchIncluded: false);
        return KeepDims ? [1, inputShape[1]] : [inputShape[1]];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        LayerArgs.Config(this, base.GetConfig(), ("keepdims", KeepDims));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static GlobalMaxPooling1D FromConfig(LayerConfig c) => new(c.Bool("keepdims", false), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        LayerArgs.CheckSequence(this, inputs.Shape, batchIncluded: true);
        return inputs.Max(1, KeepDims);
    }
}
