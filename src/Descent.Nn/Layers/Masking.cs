namespace Descent.Nn.Layers;

/// <summary>
/// Keras's Masking: marks as padding the steps of [batch, time, features] whose features all equal
/// <see cref="MaskValue"/>, and zeroes them. The mask it makes (<see cref="ComputeMask"/>) goes to the layers after
/// it that take masks, such as the recurrent layers: the way to pad sequences of numbers, as Embedding's maskZero is
/// for sequences of ids.
/// </summary>
public sealed class Masking(double maskValue = 0, string? name = null) : Layer(name)
{
    /// <summary>The value that marks a padding step.</summary>
    public double MaskValue { get; } = maskValue;

    /// <summary>True: the layer makes the mask and passes it on.</summary>
    public override bool SupportsMasking => true;

    /// <summary>True at the steps with at least one feature other than <see cref="MaskValue"/>; any incoming mask is replaced.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) => Keep(inputs, keepDims: false);

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        if (inputShape.Length < 2)
            throw LayerArgs.Error(this, $"expects input [batch, time, ...features], got input shape {LayerArgs.Format(inputShape)} (batch axis excluded).");
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        LayerArgs.Config(this, base.GetConfig(), ("mask_value", MaskValue));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static Masking FromConfig(LayerConfig c) => new(c.Double("mask_value", 0), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        ComputeOutputShape(inputs.Shape.Skip(1).ToArray());
        return inputs * Keep(inputs, keepDims: true).Cast(inputs.DType);
    }

    // Whether any feature of a step differs from the mask value, over the last axis, as bool.
    private Tensor Keep(Tensor inputs, bool keepDims)
    {
        var differs = Tensor.NotEqual(inputs, Tensor.Scalar(MaskValue, inputs.DType, inputs.Device)).Cast(inputs.DType);
        return Tensor.Greater(differs.Max(-1, keepDims), Tensor.Scalar(0, inputs.DType, inputs.Device));
    }
}
