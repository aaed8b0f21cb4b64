namespace Descent.Cli.Demos;

/// <summary>One path from the loss back to a parameter: the product of the local derivatives along it.</summary>
/// <param name="Via">The hidden unit the path passes through, or null when there is only one path.</param>
internal sealed record BackpropPath(string? Via, IReadOnlyList<BackpropFactor> Factors)
{
    /// <summary>The factors multiplied left to right, loss end first.</summary>
    public double Product => Factors.Aggregate(1.0, (p, f) => p * f.Value);
}
