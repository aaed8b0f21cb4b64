namespace Descent.Cli.Demos;

/// <summary>One local derivative in a chain-rule product.</summary>
/// <param name="Symbol">What it is, e.g. <c>∂y_pred/∂y_temp</c>.</param>
/// <param name="Formula">What it equals in terms of the forward values, e.g. <c>y_pred·(1 − y_pred)</c>.</param>
internal sealed record BackpropFactor(string Symbol, string Formula, double Value);
