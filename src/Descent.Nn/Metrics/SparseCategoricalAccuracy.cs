namespace Descent.Nn.Metrics;

/// <summary>The fraction of samples whose predicted class (argmax of yPred) equals the integer label in yTrue.</summary>
public sealed class SparseCategoricalAccuracy(string? name = null) : MeanMetricWrapper(MetricFunctions.SparseCategoricalAccuracy, name ?? "sparse_categorical_accuracy");
