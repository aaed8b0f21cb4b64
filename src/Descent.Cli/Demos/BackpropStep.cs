namespace Descent.Cli.Demos;

/// <summary>Loss and prediction before step <paramref name="Step"/> (the last entry: after the last step).</summary>
internal readonly record struct BackpropStep(int Step, double Loss, double YPred);
