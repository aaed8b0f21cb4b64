namespace Descent.Cli.Demos;

/// <summary>A number the article prints, beside the exact value and what to make of the difference.</summary>
internal sealed record ArticleFigure(string Quantity, double Article, double Exact, string Verdict);
