namespace Descent.Cli.Demos;

/// <summary>The outcome of <see cref="BatchLossDemo.Run"/>: per-sample losses and their mean.</summary>
internal sealed record BatchLossResult(bool FromLogits, int Classes, IReadOnlyList<BatchLossSample> Samples, float Mean);
