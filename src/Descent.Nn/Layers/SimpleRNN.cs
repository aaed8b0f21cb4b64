using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// Keras's SimpleRNN, a fully connected recurrence: h_t = activation(x_t·kernel + h_{t−1}·recurrent_kernel + bias),
/// with kernel [features, units], recurrent_kernel [units, units] and bias [units]. See <see cref="Recurrent"/> for
/// masks, dropout, states and the step order.
/// </summary>
public sealed class SimpleRNN : Recurrent
{
    /// <summary>Creates the layer; throws ArgumentException for non-positive units, a dropout outside [0, 1) or an unknown activation.</summary>
    /// <param name="units">The state size.</param>
    /// <param name="activation">A Keras activation name (default "tanh"); null is linear.</param>
    /// <param name="useBias">Whether to add a bias.</param>
    /// <param name="kernelInitializer">Default <see cref="GlorotUniform"/>.</param>
    /// <param name="recurrentInitializer">Default <see cref="Orthogonal"/>.</param>
    /// <param name="biasInitializer">Default <see cref="Zeros"/>.</param>
    /// <param name="dropout">The fraction of input features dropped in training.</param>
    /// <param name="recurrentDropout">The fraction of state units dropped before the recurrent product in training.</param>
    /// <param name="seed">The dropout seed; null derives one from the build generator.</param>
    /// <param name="returnSequences">Return every step's output, not just the last.</param>
    /// <param name="returnState">Return the final state too (through <see cref="Recurrent.CallWithState"/>).</param>
    /// <param name="goBackwards">Run from the last step to the first.</param>
    /// <param name="zeroOutputForMask">Masked steps output zeros rather than the previous output.</param>
    /// <param name="name">The layer name; null gives "simple_rnn_N".</param>
    public SimpleRNN(int units, string? activation = "tanh", bool useBias = true, Initializer? kernelInitializer = null,
        Initializer? recurrentInitializer = null, Initializer? biasInitializer = null, double dropout = 0, double recurrentDropout = 0,
        long? seed = null, bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool zeroOutputForMask = false,
        string? name = null)
        : base(units, activation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, dropout, recurrentDropout, seed,
            returnSequences, returnState, goBackwards, zeroOutputForMask, name)
    {
    }

    /// <summary>The inverse of <see cref="Recurrent.GetConfig"/>, whose keys are all a SimpleRNN has: a new, unbuilt layer from a saved config.</summary>
    internal static SimpleRNN FromConfig(LayerConfig c) => new(c.Units(), c.String("activation", "tanh"), c.Bool("use_bias", true),
        c.Initializer("kernel_initializer"), c.Initializer("recurrent_initializer"), c.Initializer("bias_initializer"),
        c.Double("dropout", 0), c.Double("recurrent_dropout", 0), c.Long("seed"), c.Bool("return_sequences", false),
        c.Bool("return_state", false), c.Bool("go_backwards", false), c.Bool("zero_output_for_mask", false), c.Name);

    /// <inheritdoc/>
    protected override int Gates => 1;

    /// <inheritdoc/>
    protected override Func<Tensor, Tensor[], Tensor[]> StepFunction(Tensor? recurrentDropout)
    {
        var recurrent = RecurrentKernel!;
        return (projected, states) =>
        {
            var h = recurrentDropout is null ? states[0] : states[0] * recurrentDropout;
            return [Activate(projected.Reshape(-1, Units) + h.MatMul(recurrent))];
        };
    }
}
