namespace Descent.Cli.Demos;

/// <summary>The forward pass of the article's 1-2-1 network: z = pre-activation, h = σ(z).</summary>
internal sealed record BackpropForward(double Z1, double H1, double Z2, double H2, double YTemp, double YPred, double Loss);
