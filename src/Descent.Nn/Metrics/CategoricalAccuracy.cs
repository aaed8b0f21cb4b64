namespace Descent.Nn.Metrics;

/// <summary>The fraction of samples whose predicted class (argmax of yPred) is the class of one-hot yTrue.</summary>
public sealed class CategoricalAccuracy(string? name = null) : MeanMetricWrapper(MetricFunctions.CategoricalAccuracy, name ?? "categorical_accuracy");
