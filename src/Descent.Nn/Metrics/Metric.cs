using Descent.Nn.Losses;

namespace Descent.Nn.Metrics;

/// <summary>
/// A stateful metric, as in Keras: <see cref="UpdateState"/> accumulates over the batches of an epoch,
/// <see cref="Result"/> reads the running value and <see cref="ResetState"/> starts a new epoch.
/// </summary>
public abstract class Metric
{
    /// <summary>Creates the metric.</summary>
    protected Metric(string name)
    {
        Name = name;
    }

    /// <summary>The name used in logs and history ("accuracy").</summary>
    public string Name { get; }

    /// <summary>Adds one batch of targets and predictions.</summary>
    public abstract void UpdateState(Tensor yTrue, Tensor yPred);

    /// <summary>The value over everything seen since the last reset.</summary>
    public abstract double Result();

    /// <summary>Forgets everything seen.</summary>
    public abstract void ResetState();

    /// <summary>
    /// The metric for a Keras name or alias ("accuracy", "acc", "binary_accuracy", "sparse_categorical_accuracy",
    /// "top_k_categorical_accuracy", "mse", "mae", "precision", "recall", "auc", ...; case and underscores are ignored),
    /// named by <paramref name="name"/> as given so that history keys read as asked.
    /// "accuracy" and "acc" pick the accuracy that fits <paramref name="loss"/>, as Keras's compile does: binary for
    /// binary cross-entropy, categorical for categorical cross-entropy, sparse categorical for sparse categorical
    /// cross-entropy, and exact-match <see cref="Accuracy"/> otherwise (or without a loss).
    /// </summary>
    public static Metric Get(string name, Loss? loss = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Replace("_", "").ToLowerInvariant() switch
        {
            "accuracy" or "acc" => loss switch
            {
                BinaryCrossentropy => new BinaryAccuracy(name: name),
                CategoricalCrossentropy => new CategoricalAccuracy(name),
                SparseCategoricalCrossentropy => new SparseCategoricalAccuracy(name),
                _ => new Accuracy(name),
            },
            "binaryaccuracy" => new BinaryAccuracy(name: name),
            "categoricalaccuracy" => new CategoricalAccuracy(name),
            "sparsecategoricalaccuracy" => new SparseCategoricalAccuracy(name),
            "topkcategoricalaccuracy" => new TopKCategoricalAccuracy(name: name),
            "sparsetopkcategoricalaccuracy" => new SparseTopKCategoricalAccuracy(name: name),
            "mse" or "meansquarederror" => new MeanSquaredError(name),
            "mae" or "meanabsoluteerror" => new MeanAbsoluteError(name),
            "precision" => new Precision(name: name),
            "recall" => new Recall(name: name),
            "auc" => new AUC(name: name),
            "mean" => new Mean(name),
            _ => throw new ArgumentException($"Metric.Get: unknown metric '{name}'; known: accuracy (acc), binary_accuracy, categorical_accuracy, " +
                "sparse_categorical_accuracy, top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, mse, mae, precision, recall, auc, mean.", nameof(name)),
        };
    }
}
