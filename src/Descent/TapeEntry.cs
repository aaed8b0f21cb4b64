namespace Descent;

/// <summary>
/// Pushes the gradient of an op's output back to input <c>index</c>. It is written with ops, never raw
/// kernels, so an outer tape records it and gradients of gradients work. Null means "no gradient".
/// </summary>
public delegate Tensor? BackwardFunction(Tensor outputGradient, int index);

/// <summary>One recorded op: its inputs, its output and how to push a gradient back through it.</summary>
internal readonly record struct TapeEntry(Tensor[] Inputs, Tensor Output, BackwardFunction Backward);
