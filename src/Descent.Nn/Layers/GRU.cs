using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// Keras's GRU (Cho 2014). The kernels hold the gates side by side in Keras's order z (update), r (reset), h
/// (candidate): kernel [features, 3·units], recurrent_kernel [units, 3·units]. With <see cref="ResetAfter"/> (Keras's
/// default, cuDNN's and PyTorch's convention) the bias is [2, 3·units], a row for the input product and a row for
/// the recurrent product, and the reset gate scales the recurrent product: ĥ = activation(x_h + r·(h·U_h + b_h));
/// without it the bias is [3·units] and ĥ = activation(x_h + (r·h)·U_h). Then h = z·h + (1 − z)·ĥ. See
/// <see cref="Recurrent"/> for masks, dropout, states and the step order.
/// </summary>
public sealed class GRU : Recurrent
{
    private readonly Func<Tensor, Tensor> _recurrentActivation;

    /// <summary>Creates the layer; throws ArgumentException for non-positive units, a dropout outside [0, 1) or an unknown activation.</summary>
    /// <param name="units">The state size.</param>
    /// <param name="activation">The Keras name of the candidate's activation (default "tanh"); null is linear.</param>
    /// <param name="recurrentActivation">The Keras name of the gates' activation (default "sigmoid"); null is linear.</param>
    /// <param name="useBias">Whether to add biases.</param>
    /// <param name="kernelInitializer">Default <see cref="GlorotUniform"/>.</param>
    /// <param name="recurrentInitializer">Default <see cref="Orthogonal"/>.</param>
    /// <param name="biasInitializer">Default <see cref="Zeros"/>.</param>
    /// <param name="dropout">The fraction of input features dropped in training.</param>
    /// <param name="recurrentDropout">The fraction of state units dropped before the recurrent product in training.</param>
    /// <param name="seed">The dropout seed; null derives one from the build generator.</param>
    /// <param name="returnSequences">Return every step's output, not just the last.</param>
    /// <param name="returnState">Return the final state too (through <see cref="Recurrent.CallWithState"/>).</param>
    /// <param name="goBackwards">Run from the last step to the first.</param>
    /// <param name="resetAfter">Apply the reset gate after the recurrent product (Keras's default) rather than before.</param>
    /// <param name="zeroOutputForMask">Masked steps output zeros rather than the previous output.</param>
    /// <param name="name">The layer name; null gives "gru_N".</param>
    public GRU(int units, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        double dropout = 0, double recurrentDropout = 0, long? seed = null, bool returnSequences = false, bool returnState = false,
        bool goBackwards = false, bool resetAfter = true, bool zeroOutputForMask = false, string? name = null)
        : base(units, activation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, dropout, recurrentDropout, seed,
            returnSequences, returnState, goBackwards, zeroOutputForMask, name)
    {
        RecurrentActivationName = recurrentActivation ?? "linear";
        _recurrentActivation = LayerArgs.Activation(this, RecurrentActivationName);
        ResetAfter = resetAfter;
    }

    /// <summary>The Keras name of the gates' activation.</summary>
    public string RecurrentActivationName { get; }

    /// <summary>Whether the reset gate applies after the recurrent product (with a separate recurrent bias).</summary>
    public bool ResetAfter { get; }

    /// <inheritdoc/>
    protected override int Gates => 3;

    /// <inheritdoc/>
    protected override int[] BiasShape => ResetAfter ? [2, 3 * Units] : [3 * Units];

    /// <inheritdoc/>
    protected override Tensor? InputBias => ResetAfter && Bias is { } b ? b[0] : Bias;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("recurrent_activation", RecurrentActivationName), ("reset_after", ResetAfter));

    /// <summary>The inverse of <see cref="GetConfig"/> (this class's keys and <see cref="Recurrent"/>'s): a new, unbuilt layer from a saved config.</summary>
    internal static GRU FromConfig(LayerConfig c) => new(c.Units(), c.String("activation", "tanh"), c.String("recurrent_activation", "sigmoid"),
        c.Bool("use_bias", true), c.Initializer("kernel_initializer"), c.Initializer("recurrent_initializer"),
        c.Initializer("bias_initializer"), c.Double("dropout", 0), c.Double("recurrent_dropout", 0), c.Long("seed"),
        c.Bool("return_sequences", false), c.Bool("return_state", false), c.Bool("go_backwards", false), c.Bool("reset_after", true),
        c.Bool("zero_output_for_mask", false), c.Name);

    /// <inheritdoc/>
    protected override Func<Tensor, Tensor[], Tensor[]> StepFunction(Tensor? recurrentDropout)
    {
        var recurrent = RecurrentKernel!;
        if (ResetAfter)
        {
            var recurrentBias = Bias?[1];
            return (projected, states) =>
            {
                var h = states[0];
                var hr = recurrentDropout is null ? h : h * recurrentDropout;
                var x = projected.Unstack(1);
                // The recurrent product and its bias for all three blocks at once (one fused product).
                var inner = Tensor.Dense(hr, recurrent, recurrentBias).Reshape(-1, 3, Units).Unstack(1);
                var z = _recurrentActivation(x[0] + inner[0]);
                var r = _recurrentActivation(x[1] + inner[1]);
                var candidate = Activate(x[2] + r * inner[2]);
                return [candidate + z * (h - candidate)];
            };
        }
        // Reset before the product: the candidate's product needs r first, so it is a second product per step.
        var gates = recurrent.SliceAxis(1, 0, 2 * Units);
        var candidateKernel = recurrent.SliceAxis(1, 2 * Units, Units);
        return (projected, states) =>
        {
            var h = states[0];
            var hr = recurrentDropout is null ? h : h * recurrentDropout;
            var x = projected.Unstack(1);
            var inner = hr.MatMul(gates).Reshape(-1, 2, Units).Unstack(1);
            var z = _recurrentActivation(x[0] + inner[0]);
            var r = _recurrentActivation(x[1] + inner[1]);
            var candidate = Activate(x[2] + (r * hr).MatMul(candidateKernel));
            return [candidate + z * (h - candidate)];
        };
    }
}
