namespace Descent.Cli.Demos;

/// <summary>The gradient of the loss for one parameter, by hand (the chain rule over every path) and by
/// Descent's tape, and the parameter after one gradient-descent step.</summary>
internal sealed record BackpropChain(string Parameter, double Value, IReadOnlyList<BackpropPath> Paths, double Autodiff, double Updated)
{
    /// <summary>Paths that meet at a shared parameter add up (b1 feeds both hidden units).</summary>
    public double ChainRule => Paths.Sum(p => p.Product);

    public bool Agrees => Math.Abs(ChainRule - Autodiff) <= BackpropDemo.Tolerance;
}
