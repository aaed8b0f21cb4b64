namespace Descent.Nn.Losses;

/// <summary>Keras's BinaryCrossentropy loss object: <see cref="LossFunctions.BinaryCrossentropy"/> with a reduction.</summary>
public sealed class BinaryCrossentropy : Loss
{
    /// <summary>Creates the loss; with <paramref name="fromLogits"/> the predictions are logits rather than probabilities.</summary>
    public BinaryCrossentropy(bool fromLogits = false, double labelSmoothing = 0, Reduction reduction = Reduction.SumOverBatchSize, string name = "binary_crossentropy")
        : base(name, reduction)
    {
        FromLogits = fromLogits;
        LabelSmoothing = LossInputs.UnitInterval(nameof(BinaryCrossentropy), nameof(labelSmoothing), labelSmoothing);
    }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <summary>Targets become y(1 − s) + s/2.</summary>
    public double LabelSmoothing { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) => LossFunctions.BinaryCrossentropy(yTrue, yPred, FromLogits, LabelSmoothing);
}
