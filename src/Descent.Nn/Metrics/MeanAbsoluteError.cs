namespace Descent.Nn.Metrics;

/// <summary>The mean of |yTrue − yPred| over everything seen (per-sample means over the last axis, as the MAE loss).</summary>
public sealed class MeanAbsoluteError(string? name = null) : MeanMetricWrapper(Losses.LossFunctions.MeanAbsoluteError, name ?? "mean_absolute_error");
