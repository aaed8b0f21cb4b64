namespace Descent.Nn.Losses;

/// <summary>Keras's Huber loss object: <see cref="LossFunctions.Huber"/> with a reduction.</summary>
public sealed class Huber : Loss
{
    /// <summary>Creates the loss; <paramref name="delta"/> is where it turns from quadratic to linear.</summary>
    public Huber(double delta = 1.0, Reduction reduction = Reduction.SumOverBatchSize, string name = "huber_loss") : base(name, reduction)
    {
        Delta = delta > 0 && double.IsFinite(delta) ? delta
            : throw new ArgumentOutOfRangeException(nameof(delta), delta, $"Huber: delta must be positive and finite, got {delta}.");
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) => LossFunctions.Huber(yTrue, yPred, Delta);
}
