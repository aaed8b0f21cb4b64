namespace Descent.Cli.Explain;

/// <summary>A node of a parsed expression.</summary>
/// <param name="Op"><c>const</c>, <c>var</c>, <c>neg</c>, <c>+ - * / ^</c>, <c>^n</c> (a power with a
/// constant exponent, held in <paramref name="Number"/>), or a function name such as <c>sigmoid</c>.</param>
/// <param name="Start">Offset of the node's first character in the source.</param>
/// <param name="End">Offset one past its last character, so the source text of any subexpression is
/// <c>source[Start..End]</c>.</param>
internal sealed record Expr(string Op, IReadOnlyList<Expr> Args, int Start, int End, double Number = 0, string Name = "");
