using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// Keras's LSTM (Hochreiter 1997). The kernels hold the gates side by side in Keras's order i, f, c, o: kernel
/// [features, 4·units], recurrent_kernel [units, 4·units], bias [4·units], so weights saved from Keras load as they
/// are. Per step: z = x·kernel + h·recurrent_kernel + bias; i, f, o = recurrent_activation of their blocks;
/// c = f·c + i·activation(z_c); h = o·activation(c). The states are [h, c]. See <see cref="Recurrent"/> for masks,
/// dropout, states and the step order.
/// </summary>
public sealed class LSTM : Recurrent
{
    private readonly Func<Tensor, Tensor> _recurrentActivation;

    /// <summary>Creates the layer; throws ArgumentException for non-positive units, a dropout outside [0, 1) or an unknown activation.</summary>
    /// <param name="units">The state size.</param>
    /// <param name="activation">The Keras name of the cell and output activation (default "tanh"); null is linear.</param>
    /// <param name="recurrentActivation">The Keras name of the gates' activation (default "sigmoid"); null is linear.</param>
    /// <param name="useBias">Whether to add a bias.</param>
    /// <param name="kernelInitializer">Default <see cref="GlorotUniform"/>.</param>
    /// <param name="recurrentInitializer">Default <see cref="Orthogonal"/>.</param>
    /// <param name="biasInitializer">Default <see cref="Zeros"/>.</param>
    /// <param name="unitForgetBias">Start the forget gate's bias at 1 (the other gates from <paramref name="biasInitializer"/>), as Keras by default.</param>
    /// <param name="dropout">The fraction of input features dropped in training.</param>
    /// <param name="recurrentDropout">The fraction of state units dropped before the recurrent product in training.</param>
    /// <param name="seed">The dropout seed; null derives one from the build generator.</param>
    /// <param name="returnSequences">Return every step's output, not just the last.</param>
    /// <param name="returnState">Return the final states too (through <see cref="Recurrent.CallWithState"/>).</param>
    /// <param name="goBackwards">Run from the last step to the first.</param>
    /// <param name="zeroOutputForMask">Masked steps output zeros rather than the previous output.</param>
    /// <param name="name">The layer name; null gives "lstm_N".</param>
    public LSTM(int units, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        bool unitForgetBias = true, double dropout = 0, double recurrentDropout = 0, long? seed = null, bool returnSequences = false,
        bool returnState = false, bool goBackwards = false, bool zeroOutputForMask = false, string? name = null)
        : base(units, activation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, dropout, recurrentDropout, seed,
            returnSequences, returnState, goBackwards, zeroOutputForMask, name)
    {
        RecurrentActivationName = recurrentActivation ?? "linear";
        _recurrentActivation = LayerArgs.Activation(this, RecurrentActivationName);
        UnitForgetBias = unitForgetBias;
    }

    /// <summary>The Keras name of the gates' activation.</summary>
    public string RecurrentActivationName { get; }

    /// <summary>Whether the forget gate's bias starts at 1.</summary>
    public bool UnitForgetBias { get; }

    /// <inheritdoc/>
    protected override int Gates => 4;

    /// <inheritdoc/>
    protected override int StateCount => 2;

    /// <inheritdoc/>
    protected override Initializer BiasBuilder => UnitForgetBias ? new ForgetBiasOne(BiasInitializer) : BiasInitializer;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("recurrent_activation", RecurrentActivationName), ("unit_forget_bias", UnitForgetBias));

    /// <summary>The inverse of <see cref="GetConfig"/> (this class's keys and <see cref="Recurrent"/>'s): a new, unbuilt layer from a saved config.</summary>
    internal static LSTM FromConfig(LayerConfig c) => new(c.Units(), c.String("activation", "tanh"), c.String("recurrent_activation", "sigmoid"),
        c.Bool("use_bias", true), c.Initializer("kernel_initializer"), c.Initializer("recurrent_initializer"),
        c.Initializer("bias_initializer"), c.Bool("unit_forget_bias", true), c.Double("dropout", 0), c.Double("recurrent_dropout", 0),
        c.Long("seed"), c.Bool("return_sequences", false), c.Bool("return_state", false), c.Bool("go_backwards", false),
        c.Bool("zero_output_for_mask", false), c.Name);

    /// <inheritdoc/>
    protected override Func<Tensor, Tensor[], Tensor[]> StepFunction(Tensor? recurrentDropout)
    {
        var recurrent = RecurrentKernel!;
        return (projected, states) =>
        {
            var (h, c) = (states[0], states[1]);
            if (recurrentDropout is not null) h *= recurrentDropout;
            // One product for the four gates; each gate is then a [batch, units] view of the sum.
            var z = (projected + h.MatMul(recurrent).Reshape(-1, 4, Units)).Unstack(1);
            var (i, f, o) = (_recurrentActivation(z[0]), _recurrentActivation(z[1]), _recurrentActivation(z[3]));
            var cell = f * c + i * Activate(z[2]);
            return [o * Activate(cell), cell];
        };
    }

    // Keras's unit_forget_bias: the i block from the bias initializer, the f block ones, the c and o blocks from the
    // initializer again, drawn in that order.
    private sealed class ForgetBiasOne(Initializer others) : Initializer
    {
        public override Tensor Create(int[] shape, DType dtype, Generator generator)
        {
            int units = shape[0] / 4;
            return Tensor.Concat([others.Create([units], dtype, generator), Tensor.Ones([units], dtype, Device.Default),
                others.Create([2 * units], dtype, generator)]);
        }
    }
}
