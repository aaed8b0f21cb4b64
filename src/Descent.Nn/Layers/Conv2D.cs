using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// A 2-D convolution over NHWC images, as Keras: input [batch, height, width, channels], kernel
/// [kh, kw, channels, filters], output [batch, ho, wo, filters]. "same" padding follows TensorFlow (the odd
/// row or column goes after). Runs as <see cref="Tensor.Conv2D"/>, with the bias and a ReLU, sigmoid or tanh
/// activation fused into it.
/// </summary>
public sealed class Conv2D : Layer
{
    private readonly Func<Tensor, Tensor> _activation;

    /// <summary>Creates the layer with square kernel, strides and dilation.</summary>
    public Conv2D(int filters, int kernelSize, int strides = 1, string padding = "valid", int dilationRate = 1,
        string? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, (dilationRate, dilationRate), activation, useBias, kernelInitializer, biasInitializer, name)
    {
    }

    /// <summary>Creates the layer; throws ArgumentException for non-positive sizes or an unknown padding or activation.</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">Window (height, width).</param>
    /// <param name="strides">Step (height, width); default (1, 1).</param>
    /// <param name="padding">"valid" (no padding) or "same" (output size ceil(n / stride)).</param>
    /// <param name="dilationRate">Spacing between kernel taps; default (1, 1).</param>
    /// <param name="activation">A Keras activation name; null is linear.</param>
    /// <param name="useBias">Whether to add a bias per filter.</param>
    /// <param name="kernelInitializer">Default <see cref="GlorotUniform"/>.</param>
    /// <param name="biasInitializer">Default <see cref="Zeros"/>.</param>
    /// <param name="name">The layer name; null gives "conv2d_N".</param>
    public Conv2D(int filters, (int Height, int Width) kernelSize, (int Height, int Width)? strides = null, string padding = "valid",
        (int Height, int Width)? dilationRate = null, string? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, string? name = null) : base(name)
    {
        if (filters <= 0) throw LayerArgs.Error(this, $"filters must be positive, got {filters}.");
        Filters = filters;
        KernelSize = LayerArgs.Positive(this, "kernel_size", kernelSize);
        Strides = LayerArgs.Positive(this, "strides", strides ?? (1, 1));
        Padding = LayerArgs.Padding(this, padding);
        DilationRate = LayerArgs.Positive(this, "dilation_rate", dilationRate ?? (1, 1));
        ActivationName = activation ?? "linear";
        _activation = LayerArgs.Activation(this, ActivationName);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Window (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Step (height, width).</summary>
    public (int Height, int Width) Strides { get; }

    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }

    /// <summary>Spacing between kernel taps (height, width).</summary>
    public (int Height, int Width) DilationRate { get; }

    /// <summary>The activation's Keras name ("linear" when none).</summary>
    public string ActivationName { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Makes the kernel.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Makes the bias.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The [kh, kw, channels, filters] kernel, once built.</summary>
    public Variable? Kernel { get; private set; }

    /// <summary>The [filters] bias, once built (null without bias).</summary>
    public Variable? Bias { get; private set; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        LayerArgs.CheckImage(this, inputShape, batchIncluded: false);
        var (ho, wo) = SpatialOutput(inputShape[0], inputShape[1]);
        return [ho, wo, Filters];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("filters", Filters), ("kernel_size", new[] { KernelSize.Height, KernelSize.Width }),
        ("strides", new[] { Strides.Height, Strides.Width }), ("padding", Padding),
        ("dilation_rate", new[] { DilationRate.Height, DilationRate.Width }),
        ("activation", ActivationName), ("use_bias", UseBias),
        ("kernel_initializer", Descent.Nn.Initializers.Initializers.Serialize(KernelInitializer)),
        ("bias_initializer", Descent.Nn.Initializers.Initializers.Serialize(BiasInitializer)));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static Conv2D FromConfig(LayerConfig c) => new(c.Int("filters"), c.Pair("kernel_size"), c.PairOrNull("strides"),
        c.String("padding", "valid")!, c.PairOrNull("dilation_rate"), c.String("activation", null), c.Bool("use_bias", true),
        c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        ComputeOutputShape(inputShape);
        Kernel = AddWeight("kernel", [KernelSize.Height, KernelSize.Width, inputShape[2], Filters], KernelInitializer, generator);
        if (UseBias) Bias = AddWeight("bias", [Filters], BiasInitializer, generator);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        LayerArgs.CheckImage(this, inputs.Shape, batchIncluded: true);
        int channels = Kernel!.Shape[2];
        if (inputs.Shape[3] != channels)
            throw LayerArgs.Error(this, $"was built for {channels} channels, got input {LayerArgs.Format(inputs.Shape)}.");
        SpatialOutput(inputs.Shape[1], inputs.Shape[2]);
        if (Dense.Fused(ActivationName) is { } fused)
            return Tensor.Conv2D(inputs, Kernel, Strides, Padding, DilationRate, Bias, fused);
        var y = Tensor.Conv2D(inputs, Kernel, Strides, Padding, DilationRate);
        if (Bias is not null) y += Bias;
        return _activation(y);
    }

    private (int, int) SpatialOutput(int height, int width)
    {
        bool same = Padding == "same";
        int ho = Windows.OutputSize(height, KernelSize.Height, Strides.Height, DilationRate.Height, same);
        int wo = Windows.OutputSize(width, KernelSize.Width, Strides.Width, DilationRate.Width, same);
        if (ho == 0 || wo == 0)
            throw LayerArgs.Error(this, $"input {height}x{width} is smaller than the dilated kernel {(KernelSize.Height - 1) * DilationRate.Height + 1}x{(KernelSize.Width - 1) * DilationRate.Width + 1} with \"valid\" padding.");
        return (ho, wo);
    }
}
