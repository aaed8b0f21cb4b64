namespace Descent.Nn.Losses;

/// <summary>Keras's CategoricalCrossentropy loss object (one-hot targets): <see cref="LossFunctions.CategoricalCrossentropy"/> with a reduction.</summary>
public sealed class CategoricalCrossentropy : Loss
{
    /// <summary>Creates the loss; with <paramref name="fromLogits"/> the predictions are logits rather than probabilities.</summary>
    public CategoricalCrossentropy(bool fromLogits = false, double labelSmoothing = 0, int axis = -1,
        Reduction reduction = Reduction.SumOverBatchSize, string name = "categorical_crossentropy")
        : base(name, reduction)
    {
        FromLogits = fromLogits;
        LabelSmoothing = LossInputs.UnitInterval(nameof(CategoricalCrossentropy), nameof(labelSmoothing), labelSmoothing);
        Axis = axis;
    }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <summary>Targets become y(1 − s) + s/C.</summary>
    public double LabelSmoothing { get; }

    /// <summary>The class axis.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) => LossFunctions.CategoricalCrossentropy(yTrue, yPred, FromLogits, LabelSmoothing, Axis);
}
