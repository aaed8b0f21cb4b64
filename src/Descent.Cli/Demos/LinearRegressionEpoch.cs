namespace Descent.Cli.Demos;

/// <summary>The state at the start of one epoch: a and b, and the loss the epoch computes from them
/// before it updates them.</summary>
internal readonly record struct LinearRegressionEpoch(int Epoch, float A, float B, float Loss);
