namespace Descent.Nn.Layers;

/// <summary>Flattens each sample to one axis: [batch, d1, d2, ...] becomes [batch, d1·d2·...].</summary>
public sealed class Flatten(string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        int size = 1;
        foreach (int d in inputShape) size *= d;
        return [size];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig());

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static Flatten FromConfig(LayerConfig c) => new(c.Name);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training) =>
        inputs.Rank == 0 ? throw LayerArgs.Error(this, "expects a batch, got a scalar.")
            : inputs.Reshape(inputs.Shape[0], inputs.Shape[0] == 0 ? 0 : inputs.Size / inputs.Shape[0]);
}
