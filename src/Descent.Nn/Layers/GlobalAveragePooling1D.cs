namespace Descent.Nn.Layers;

/// <summary>
/// The mean over the steps: [batch, steps, channels] becomes [batch, channels] (or [batch, 1, channels] with
/// <see cref="KeepDims"/>). With a mask, as Keras, the mean is over the unmasked steps only.
/// </summary>
public sealed class GlobalAveragePooling1D(bool keepDims = false, string? name = null) : Layer(name)
{
    /// <summary>Whether the steps axis is kept with size 1.</summary>
    public bool KeepDims { get; } = keepDims;

    /// <summary>True: with a mask [batch, steps] the mean skips the masked steps.</summary>
    public override bool SupportsMasking => true;

    /// <summary>None: the steps axis is gone.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) => null;

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
    internal static GlobalAveragePooling1D FromConfig(LayerConfig c) => new(c.Bool("keepdims", false), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        LayerArgs.CheckSequence(this, inputs.Shape, batchIncluded: true);
        return inputs.Mean(1, KeepDims);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, Tensor mask, bool training)
    {
        LayerArgs.CheckSequence(this, inputs.Shape, batchIncluded: true);
        // Keras divides by the number of unmasked steps; a sample with none gives 0/0, NaN, there too.
        var weights = SequenceMask.Check(this, mask, inputs).Cast(inputs.DType).Unsqueeze(-1);
        return (inputs * weights).Sum(1, KeepDims) / weights.Sum(1, KeepDims);
    }
}
