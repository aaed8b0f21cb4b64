namespace Descent;

/// <summary>
/// Pushes the gradient of an op's output back to input <c>index</c>. It is written with ops, never raw
/// kernels, so an outer tape records it and gradients of gradients work. Null means "no gradient".
/// </summary>
public delegate Tensor? BackwardFunction(Tensor outputGradient, int index);

/// <summary>
/// The backward of an op with several outputs (<see cref="Tensor.Unstack"/>): the gradient of each output, null for
/// an output nothing downstream used, pushed back to input <c>index</c> in one go.
/// </summary>
internal delegate Tensor? MultiBackwardFunction(Tensor?[] outputGradients, int index);

/// <summary>
/// One recorded op: its inputs, its output and how to push a gradient back through it. An op with several outputs
/// sets <see cref="Outputs"/> and <see cref="BackwardMany"/> instead of <see cref="Output"/> and <see cref="Backward"/>.
/// </summary>
internal readonly record struct TapeEntry(Tensor[] Inputs, Tensor? Output, BackwardFunction? Backward,
    Tensor[]? Outputs = null, MultiBackwardFunction? BackwardMany = null);
