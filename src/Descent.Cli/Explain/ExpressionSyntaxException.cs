namespace Descent.Cli.Explain;

/// <summary>An expression that does not parse, with the place where it breaks.</summary>
/// <remarks>An <see cref="ArgumentException"/>, so the CLI reports it as bad input; <see cref="Program.Run"/>
/// also prints <see cref="Excerpt"/>, the expression with a caret under the column.</remarks>
internal sealed class ExpressionSyntaxException(string expression, int column, string problem)
    : ArgumentException($"cannot parse expression at column {column}: {problem}")
{
    public string Expression { get; } = expression;

    /// <summary>1-based; one past the end when the expression stops too early.</summary>
    public int Column { get; } = column;

    /// <summary>Two lines: the expression, and a caret under <see cref="Column"/>.</summary>
    public string Excerpt => $"  {Expression}\n  {new string(' ', Column - 1)}^";
}
