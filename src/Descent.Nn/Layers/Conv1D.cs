using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// A 1-D convolution over sequences, as Keras: input [batch, steps, channels], kernel [kernelSize, channels, filters],
/// output [batch, outSteps, filters]. "same" pads as TensorFlow (the odd step after), "causal" pads
/// (kernelSize − 1)·dilation steps before the data so that output t sees no input after t. Runs as
/// <see cref="Tensor.Conv2D"/> on a height-1 image, with the bias and a ReLU, sigmoid or tanh activation fused into it.
/// </summary>
public sealed class Conv1D : Layer
{
    private readonly Func<Tensor, Tensor> _activation;

    /// <summary>Creates the layer; throws ArgumentException for non-positive sizes or an unknown padding or activation.</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">Window length.</param>
    /// <param name="strides">Step between windows.</param>
    /// <param name="padding">"valid" (no padding), "same" (ceil(steps / stride) outputs) or "causal".</param>
    /// <param name="dilationRate">Spacing between kernel taps.</param>
    /// <param name="activation">A Keras activation name; null is linear.</param>
    /// <param name="useBias">Whether to add a bias per filter.</param>
    /// <param name="kernelInitializer">Default <see cref="GlorotUniform"/>.</param>
    /// <param name="biasInitializer">Default <see cref="Zeros"/>.</param>
    /// <param name="name">The layer name; null gives "conv1d_N".</param>
    public Conv1D(int filters, int kernelSize, int strides = 1, string padding = "valid", int dilationRate = 1,
        string? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null, string? name = null)
        : base(name)
    {
        if (filters <= 0) throw LayerArgs.Error(this, $"filters must be positive, got {filters}.");
        if (kernelSize <= 0 || strides <= 0 || dilationRate <= 0)
            throw LayerArgs.Error(this, $"kernel_size, strides and dilation_rate must be positive, got {kernelSize}, {strides} and {dilationRate}.");
        Filters = filters;
        KernelSize = kernelSize;
        Strides = strides;
        Padding = padding?.ToLowerInvariant() is "valid" or "same" or "causal"
            ? padding.ToLowerInvariant()
            : throw LayerArgs.Error(this, $"padding must be \"valid\", \"same\" or \"causal\", got '{padding}'.");
        DilationRate = dilationRate;
        ActivationName = activation ?? "linear";
        _activation = LayerArgs.Activation(this, ActivationName);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Window length.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Strides { get; }

    /// <summary>"valid", "same" or "causal".</summary>
    public string Padding { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public int DilationRate { get; }

    /// <summary>The activation's Keras name ("linear" when none).</summary>
    public string ActivationName { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Makes the kernel.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Makes the bias.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The [kernelSize, channels, filters] kernel, once built.</summary>
    public Variable? Kernel { get; private set; }

    /// <summary>The [filters] bias, once built (null without bias).</summary>
    public Variable? Bias { get; private set; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        LayerArgs.CheckSequence(this, inputShape, batchIncluded: false);
        return [OutputSteps(inputShape[0]), Filters];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("filters", Filters), ("kernel_size", new[] { KernelSize }), ("strides", new[] { Strides }), ("padding", Padding),
        ("dilation_rate", new[] { DilationRate }), ("activation", ActivationName), ("use_bias", UseBias),
        ("kernel_initializer", Descent.Nn.Initializers.Initializers.Serialize(KernelInitializer)),
        ("bias_initializer", Descent.Nn.Initializers.Initializers.Serialize(BiasInitializer)));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static Conv1D FromConfig(LayerConfig c) => new(c.Int("filters"), c.Single("kernel_size"), c.Single("strides", 1),
        c.String("padding", "valid")!, c.Single("dilation_rate", 1), c.String("activation", null), c.Bool("use_bias", true),
        c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        ComputeOutputShape(inputShape);
        Kernel = AddWeight("kernel", [KernelSize, inputShape[1], Filters], KernelInitializer, generator);
        if (UseBias) Bias = AddWeight("bias", [Filters], BiasInitializer, generator);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        LayerArgs.CheckSequence(this, inputs.Shape, batchIncluded: true);
        int channels = Kernel!.Shape[1];
        if (inputs.Shape[2] != channels)
            throw LayerArgs.Error(this, $"was built for {channels} channels, got input {LayerArgs.Format(inputs.Shape)}.");
        OutputSteps(inputs.Shape[1]);
        var x = inputs;
        string padding = Padding;
        if (Padding == "causal")
        {
            x = x.Pad([(0, 0), (CausalPadding, 0), (0, 0)]);
            padding = "valid";
        }
        // A sequence is an image of height 1, and the kernel a window of height 1.
        var image = x.Unsqueeze(1);
        var kernel = Kernel.Unsqueeze(0);
        Tensor y;
        if (Dense.Fused(ActivationName) is { } fused)
            y = Tensor.Conv2D(image, kernel, (1, Strides), padding, (1, DilationRate), Bias, fused);
        else
        {
            y = Tensor.Conv2D(image, kernel, (1, Strides), padding, (1, DilationRate));
            if (Bias is not null) y += Bias;
            y = _activation(y);
        }
        return y.Squeeze(1);
    }

    private int CausalPadding => (KernelSize - 1) * DilationRate;

    private int OutputSteps(int steps)
    {
        int padded = Padding == "causal" ? steps + CausalPadding : steps;
        int output = Windows.OutputSize(padded, KernelSize, Strides, DilationRate, Padding == "same");
        if (output == 0)
            throw LayerArgs.Error(this, $"input of {steps} steps is shorter than the dilated kernel {(KernelSize - 1) * DilationRate + 1} with \"valid\" padding.");
        return output;
    }
}
