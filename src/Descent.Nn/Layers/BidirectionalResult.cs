namespace Descent.Nn.Layers;

/// <summary>What <see cref="Bidirectional.CallWithState"/> returns.</summary>
/// <param name="Output">The merged output; null when the merge mode is "none".</param>
/// <param name="Forward">The forward layer's output.</param>
/// <param name="Backward">The backward layer's output, in time order when it is a sequence.</param>
/// <param name="States">The forward layer's final states, then the backward layer's, as Keras lists them.</param>
public sealed record BidirectionalResult(Tensor? Output, Tensor Forward, Tensor Backward, IReadOnlyList<Tensor> States);
