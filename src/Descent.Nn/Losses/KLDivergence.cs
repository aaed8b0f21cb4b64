namespace Descent.Nn.Losses;

/// <summary>Keras's KLDivergence loss object: <see cref="LossFunctions.KLDivergence"/> with a reduction.</summary>
public sealed class KLDivergence(Reduction reduction = Reduction.SumOverBatchSize, string name = "kl_divergence") : Loss(name, reduction)
{
    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) => LossFunctions.KLDivergence(yTrue, yPred);
}
