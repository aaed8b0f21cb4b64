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

    /// <summary>
    /// The loss object for a Keras name or alias ("mse", "mean_squared_error", "MeanSquaredError", "huber_loss",
    /// "sparse_categorical_crossentropy", "kld", ...), with default arguments; case and underscores are ignored.
    /// </summary>
    public static Loss Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Replace("_", "").ToLowerInvariant() switch
        {
            "mse" or "meansquarederror" => new MeanSquaredError(),
            "mae" or "meanabsoluteerror" => new MeanAbsoluteError(),
            "huber" or "huberloss" => new Huber(),
            "binarycrossentropy" => new BinaryCrossentropy(),
            "categoricalcrossentropy" => new CategoricalCrossentropy(),
            "sparsecategoricalcrossentropy" => new SparseCategoricalCrossentropy(),
            "kld" or "kldivergence" or "kullbackleiblerdivergence" => new KLDivergence(),
            _ => throw new ArgumentException($"Loss.Get: unknown loss '{name}'; known: mse, mae, huber, binary_crossentropy, " +
                "categorical_crossentropy, sparse_categorical_crossentropy, kl_divergence (and their Keras aliases).", nameof(name)),
        };
    }
}
