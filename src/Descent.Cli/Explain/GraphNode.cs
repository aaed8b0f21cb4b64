namespace Descent.Cli.Explain;

/// <summary>One node of an evaluated expression graph.</summary>
/// <param name="Id">Position in evaluation order: every input has a smaller id.</param>
/// <param name="Op">As <see cref="Expr.Op"/>.</param>
/// <param name="Label">What to draw: the name, the number, the operator or the function.</param>
/// <param name="Text">The node's subexpression as written in the source.</param>
/// <param name="Value">Forward value.</param>
/// <param name="Grad">d output / d node: how much the output moves per unit change of this node.</param>
internal sealed record GraphNode(int Id, string Op, string Label, string Text, IReadOnlyList<int> Inputs, double Value, double Grad);
