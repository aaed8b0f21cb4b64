namespace Descent.Nn.Losses;

/// <summary>
/// A loss object, as Keras's: <see cref="Call"/> gives per-sample losses and <see cref="Compute"/> applies
/// the <see cref="Reduction"/>. Models call <see cref="Compute"/> during training.
/// </summary>
public abstract class Loss
{
    /// <summary>Creates the loss.</summary>
    protected Loss(string name, Reduction reduction)
    {
        Name = name;
        Reduction = reduction;
    }

    /// <summary>The Keras name ("sparse_categorical_crossentropy"), used in logs and history.</summary>
    public string Name { get; }

    /// <summary>How per-sample losses are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>Per-sample losses: shape [batch] (or the batch shape).</summary>
    public abstract Tensor Call(Tensor yTrue, Tensor yPred);

    /// <summary>The reduced loss.</summary>
    public Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var perSample = Call(yTrue, yPred);
        return Reduction switch
        {
            Reduction.None => perSample,
            Reduction.Sum => perSample.Sum(),
            _ => perSample.Mean(),
        };
    }
}
