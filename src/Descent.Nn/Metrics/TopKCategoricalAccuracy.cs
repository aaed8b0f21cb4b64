namespace Descent.Nn.Metrics;

/// <summary>The fraction of samples whose true class is among the k largest predictions (<see cref="MetricFunctions.TopKCategoricalAccuracy"/>).</summary>
public sealed class TopKCategoricalAccuracy(int k = 5, string? name = null)
    : MeanMetricWrapper((t, p) => MetricFunctions.TopKCategoricalAccuracy(t, p, k), name ?? "top_k_categorical_accuracy")
{
    /// <summary>How many of the largest predictions count.</summary>
    public int K { get; } = k >= 1 ? k : throw new ArgumentOutOfRangeException(nameof(k), k, "TopKCategoricalAccuracy: k must be at least 1, got " + k + ".");
}
