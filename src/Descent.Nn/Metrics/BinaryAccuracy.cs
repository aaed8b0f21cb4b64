namespace Descent.Nn.Metrics;

/// <summary>The fraction of elements where (yPred &gt; threshold) agrees with yTrue ≠ 0, as Keras's BinaryAccuracy.</summary>
public sealed class BinaryAccuracy(double threshold = 0.5, string? name = null)
    : MeanMetricWrapper((t, p) => MetricFunctions.BinaryAccuracy(t, p, threshold), name ?? "binary_accuracy")
{
    /// <summary>Predictions above it count as positive.</summary>
    public double Threshold { get; } = threshold;
}
