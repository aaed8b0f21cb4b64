namespace Descent.Nn.Layers;

/// <summary>What <see cref="Recurrent.CallWithState"/> returns: the layer's output and its final states ([h] or LSTM's [h, c], each [batch, units]).</summary>
/// <param name="Output">The last output [batch, units], or every output [batch, time, units] with return_sequences.</param>
/// <param name="States">The states after the last step, to continue from with another call's initial state.</param>
public sealed record RecurrentResult(Tensor Output, IReadOnlyList<Tensor> States);
