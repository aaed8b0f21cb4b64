namespace Descent.Nn.Metrics;

/// <summary>Exact-match accuracy (Keras's Accuracy class): the fraction of elements where yTrue equals yPred, so yPred must already hold class labels or 0/1 values. The string "accuracy" in Keras's compile picks an accuracy by loss; <see cref="Metric.Get"/> does that when given the loss.</summary>
public sealed class Accuracy(string? name = null) : MeanMetricWrapper(MetricFunctions.Accuracy, name ?? "accuracy");
