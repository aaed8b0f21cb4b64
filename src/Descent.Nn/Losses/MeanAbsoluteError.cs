namespace Descent.Nn.Losses;

/// <summary>Keras's MeanAbsoluteError loss object: <see cref="LossFunctions.MeanAbsoluteError"/> with a reduction.</summary>
public sealed class MeanAbsoluteError(Reduction reduction = Reduction.SumOverBatchSize, string name = "mean_absolute_error") : Loss(name, reduction)
{
    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) => LossFunctions.MeanAbsoluteError(yTrue, yPred);
}
