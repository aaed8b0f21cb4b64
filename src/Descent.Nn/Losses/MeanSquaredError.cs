namespace Descent.Nn.Losses;

/// <summary>Keras's MeanSquaredError loss object: <see cref="LossFunctions.MeanSquaredError"/> with a reduction.</summary>
public sealed class MeanSquaredError(Reduction reduction = Reduction.SumOverBatchSize, string name = "mean_squared_error") : Loss(name, reduction)
{
    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) => LossFunctions.MeanSquaredError(yTrue, yPred);
}
