namespace Descent.Nn.Layers;

/// <summary>The mean over height and width: [batch, h, w, c] becomes [batch, c] (or [batch, 1, 1, c] with <see cref="KeepDims"/>).</summary>
public sealed class GlobalAveragePooling2D(bool keepDims = false, string? name = null) : Layer(name)
{
    /// <summary>Whether the spatial axes are kept with size 1.</summary>
    public bool KeepDims { get; } = keepDims;

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        LayerArgs.CheckImage(this, inputShape, batchIncluded: false);
        return KeepDims ? [1, 1, inputShape[2]] : [inputShape[2]];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        LayerArgs.Config(this, base.GetConfig(), ("keepdims", KeepDims));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static GlobalAveragePooling2D FromConfig(LayerConfig c) => new(c.Bool("keepdims", false), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        LayerArgs.CheckImage(this, inputs.Shape, batchIncluded: true);
        return inputs.Mean([1, 2], KeepDims);
    }
}
