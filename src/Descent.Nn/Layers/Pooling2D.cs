namespace Descent.Nn.Layers;

/// <summary>
/// The shared part of <see cref="MaxPooling2D"/> and <see cref="AveragePooling2D"/>: windows of
/// <see cref="PoolSize"/> moved by <see cref="Strides"/> over NHWC images, reduced per channel.
/// </summary>
public abstract class Pooling2D : Layer
{
    /// <summary>Checks and stores the arguments; strides default to the pool size, as in Keras.</summary>
    protected Pooling2D((int Height, int Width) poolSize, (int Height, int Width)? strides, string padding, string? name) : base(name)
    {
        PoolSize = LayerArgs.Positive(this, "pool_size", poolSize);
        Strides = LayerArgs.Positive(this, "strides", strides ?? poolSize);
        Padding = LayerArgs.Padding(this, padding);
    }

    /// <summary>Window (height, width).</summary>
    public (int Height, int Width) PoolSize { get; }

    /// <summary>Step (height, width).</summary>
    public (int Height, int Width) Strides { get; }

    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        LayerArgs.CheckImage(this, inputShape, batchIncluded: false);
        var (ho, wo) = SpatialOutput(inputShape[0], inputShape[1]);
        return [ho, wo, inputShape[2]];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("pool_size", new[] { PoolSize.Height, PoolSize.Width }), ("strides", new[] { Strides.Height, Strides.Width }), ("padding", Padding));

    /// <summary>The pooling keys that <see cref="GetConfig"/> writes, read back for a subclass's FromConfig.</summary>
    private protected static ((int, int) PoolSize, (int, int)? Strides, string Padding) ReadConfig(LayerConfig c) =>
        (c.PairOrNull("pool_size") ?? (2, 2), c.PairOrNull("strides"), c.String("padding", "valid")!);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected sealed override Tensor Forward(Tensor inputs, bool training)
    {
        LayerArgs.CheckImage(this, inputs.Shape, batchIncluded: true);
        SpatialOutput(inputs.Shape[1], inputs.Shape[2]);
        return Pool(inputs);
    }

    /// <summary>Reduces the windows of a checked [batch, height, width, channels] input.</summary>
    protected abstract Tensor Pool(Tensor inputs);

    /// <summary>The windows as [batch, ho, wo, ph, pw, channels], with "same" padding filled by <paramref name="padValue"/>.</summary>
    protected Tensor Patches(Tensor inputs, double padValue) =>
        Windows.Patches(inputs, PoolSize, Strides, (1, 1), Padding == "same", padValue);

    private (int, int) SpatialOutput(int height, int width)
    {
        bool same = Padding == "same";
        int ho = Windows.OutputSize(height, PoolSize.Height, Strides.Height, 1, same);
        int wo = Windows.OutputSize(width, PoolSize.Width, Strides.Width, 1, same);
        if (ho == 0 || wo == 0)
            throw LayerArgs.Error(this, $"input {height}x{width} is smaller than the pool {PoolSize.Height}x{PoolSize.Width} with \"valid\" padding.");
        return (ho, wo);
    }
}
