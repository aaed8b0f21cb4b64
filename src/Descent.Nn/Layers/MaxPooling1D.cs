namespace Descent.Nn.Layers;

/// <summary>
/// The maximum of each window of <see cref="PoolSize"/> steps, per channel, over [batch, steps, channels], as Keras:
/// strides default to the pool size; "same" padding never wins. Runs as <see cref="Tensor.MaxPool2D"/> on a height-1
/// image, so the gradient goes to the first maximum of each window.
/// </summary>
public sealed class MaxPooling1D : Layer
{
    /// <summary>Creates the layer; throws ArgumentException for non-positive sizes or an unknown padding.</summary>
    public MaxPooling1D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null) : base(name)
    {
        if (poolSize <= 0 || strides is <= 0)
            throw LayerArgs.Error(this, $"pool_size and strides must be positive, got {poolSize} and {strides}.");
        PoolSize = poolSize;
        Strides = strides ?? poolSize;
        Padding = LayerArgs.Padding(this, padding);
    }

    /// <summary>Window length.</summary>
    public int PoolSize { get; }

    /// <summary>Step between windows.</summary>
    public int Strides { get; }

    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        LayerArgs.CheckSequence(this, inputShape, batchIncluded: false);
        return [OutputSteps(inputShape[0]), inputShape[1]];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("pool_size", new[] { PoolSize }), ("strides", new[] { Strides }), ("padding", Padding));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static MaxPooling1D FromConfig(LayerConfig c) =>
        new(c.Single("pool_size", 2), c.SingleOrNull("strides"), c.String("padding", "valid")!, c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        LayerArgs.CheckSequence(this, inputs.Shape, batchIncluded: true);
        OutputSteps(inputs.Shape[1]);
        return Tensor.MaxPool2D(inputs.Unsqueeze(1), (1, PoolSize), (1, Strides), Padding).Squeeze(1);
    }

    private int OutputSteps(int steps)
    {
        int output = Windows.OutputSize(steps, PoolSize, Strides, 1, Padding == "same");
        if (output == 0)
            throw LayerArgs.Error(this, $"input of {steps} steps is shorter than the pool {PoolSize} with \"valid\" padding.");
        return output;
    }
}
