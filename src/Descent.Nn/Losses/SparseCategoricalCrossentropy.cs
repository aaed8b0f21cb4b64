namespace Descent.Nn.Losses;

/// <summary>Keras's SparseCategoricalCrossentropy loss object (integer labels): <see cref="LossFunctions.SparseCategoricalCrossentropy"/> with a reduction.</summary>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false, Reduction reduction = Reduction.SumOverBatchSize, string name = "sparse_categorical_crossentropy")
    : Loss(name, reduction)
{
    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) => LossFunctions.SparseCategoricalCrossentropy(yTrue, yPred, FromLogits);
}
