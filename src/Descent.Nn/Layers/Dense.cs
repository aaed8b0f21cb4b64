using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// A fully connected layer: <c>activation(x @ kernel + bias)</c> with kernel [in, units]. Inputs of rank
/// above 2 are transformed along their last axis, as in Keras.
/// </summary>
public sealed class Dense : Layer
{
    private readonly Func<Tensor, Tensor> _activation;

    /// <summary>Creates the layer; throws ArgumentException for non-positive units or an unknown activation.</summary>
    /// <param name="units">Output features.</param>
    /// <param name="activation">A Keras activation name (see <see cref="Activations"/>); null is linear.</param>
    /// <param name="useBias">Whether to add a bias vector.</param>
    /// <param name="kernelInitializer">Default <see cref="GlorotUniform"/>.</param>
    /// <param name="biasInitializer">Default <see cref="Zeros"/>.</param>
    /// <param name="name">The layer name; null gives "dense_N".</param>
    public Dense(int units, string? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, string? name = null) : base(name)
    {
        if (units <= 0) throw LayerArgs.Error(this, $"units must be positive, got {units}.");
        Units = units;
        ActivationName = activation ?? "linear";
        _activation = LayerArgs.Activation(this, ActivationName);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    /// <summary>Output features.</summary>
    public int Units { get; }

    /// <summary>The activation's Keras name ("linear" when none).</summary>
    public string ActivationName { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Makes the kernel.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Makes the bias.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The [in, units] weight matrix, once built.</summary>
    public Variable? Kernel { get; private set; }

    /// <summary>The [units] bias, once built (null without bias).</summary>
    public Variable? Bias { get; private set; }

    /// <summary>True: the layer works on each step alone, so a mask passes through it unchanged (as in Keras).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        if (inputShape.Length < 1) throw LayerArgs.Error(this, $"expects input [batch, ..., features], got input shape {LayerArgs.Format(inputShape)} (batch axis excluded).");
        return [.. inputShape[..^1], Units];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("units", Units), ("activation", ActivationName), ("use_bias", UseBias),
        ("kernel_initializer", Descent.Nn.Initializers.Initializers.Serialize(KernelInitializer)),
        ("bias_initializer", Descent.Nn.Initializers.Initializers.Serialize(BiasInitializer)));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static Dense FromConfig(LayerConfig c) => new(c.Int("units"), c.String("activation", null), c.Bool("use_bias", true),
        c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        ComputeOutputShape(inputShape);
        Kernel = AddWeight("kernel", [inputShape[^1], Units], KernelInitializer, generator);
        if (UseBias) Bias = AddWeight("bias", [Units], BiasInitializer, generator);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        int features = Kernel!.Shape[0];
        if (inputs.Rank < 2 || inputs.Shape[^1] != features)
            throw LayerArgs.Error(this, $"expects input [batch, ..., {features}], got {LayerArgs.Format(inputs.Shape)}.");
        // Fold the leading axes into rows so one matrix product serves every rank.
        var rows = inputs.Reshape(inputs.Size / features, features);
        // The product and bias are always one fused op; an activation the kernel does not have (gelu) follows it.
        var fused = Fused(ActivationName);
        var y = Tensor.Dense(rows, Kernel, Bias, fused ?? FusedActivation.Linear);
        if (fused is null) y = _activation(y);
        return inputs.Rank == 2 ? y : y.Reshape([.. inputs.Shape.Take(inputs.Rank - 1), Units]);
    }

    // Activations whose derivative reads from the output run fused with the matrix product (or convolution) and bias.
    internal static FusedActivation? Fused(string activation) => activation switch
    {
        "linear" => FusedActivation.Linear,
        "relu" => FusedActivation.Relu,
        "sigmoid" => FusedActivation.Sigmoid,
        "tanh" => FusedActivation.Tanh,
        _ => null,
    };
}
