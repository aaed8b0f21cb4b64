namespace Descent.Nn.Metrics;

/// <summary>The mean of (yTrue − yPred)² over everything seen (per-sample means over the last axis, as the MSE loss).</summary>
public sealed class MeanSquaredError(string? name = null) : MeanMetricWrapper(Losses.LossFunctions.MeanSquaredError, name ?? "mean_squared_error");
