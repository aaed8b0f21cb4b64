using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// Normalizes each sample over <see cref="Axis"/> with its own mean and (population) variance, then scales by
/// gamma and shifts by beta, which have the size of that axis. Training and inference behave the same.
/// </summary>
public sealed class LayerNormalization : Layer
{
    private int[] _broadcastShape = [];

    /// <summary>Creates the layer; throws ArgumentException for a non-positive epsilon.</summary>
    /// <param name="axis">The normalized axis, counting the batch axis (−1 is the last); it cannot be the batch axis.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="center">Whether to learn beta.</param>
    /// <param name="scale">Whether to learn gamma.</param>
    /// <param name="name">The layer name; null gives "layer_normalization_N".</param>
    public LayerNormalization(int axis = -1, double epsilon = 1e-3, bool center = true, bool scale = true, string? name = null) : base(name)
    {
        if (!(epsilon > 0)) throw LayerArgs.Error(this, $"epsilon must be positive, got {epsilon}.");
        Axis = axis;
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
    }

    /// <summary>The normalized axis (counting the batch axis).</summary>
    public int Axis { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Whether beta is learned.</summary>
    public bool Center { get; }

    /// <summary>Whether gamma is learned.</summary>
    public bool Scale { get; }

    /// <summary>The learned scale (null without <see cref="Scale"/>).</summary>
    public Variable? Gamma { get; private set; }

    /// <summary>The learned shift (null without <see cref="Center"/>).</summary>
    public Variable? Beta { get; private set; }

    /// <summary>True: the layer works on each step alone, so a mask passes through it unchanged (as in Keras).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        NormalizedAxis(inputShape);
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("axis", Axis), ("epsilon", Epsilon), ("center", Center), ("scale", Scale));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static LayerNormalization FromConfig(LayerConfig c) =>
        new(c.Int("axis", -1), c.Double("epsilon", 1e-3), c.Bool("center", true), c.Bool("scale", true), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        int axis = NormalizedAxis(inputShape), size = inputShape[axis - 1];
        _broadcastShape = Enumerable.Range(0, inputShape.Length + 1).Select(a => a == axis ? size : 1).ToArray();
        if (Scale) Gamma = AddWeight("gamma", [size], new Ones(), generator);
        if (Center) Beta = AddWeight("beta", [size], new Zeros(), generator);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        int axis = NormalizedAxis(InputShape!);
        if (inputs.Rank != _broadcastShape.Length || inputs.Shape[axis] != _broadcastShape[axis])
            throw LayerArgs.Error(this, $"was built for input [batch,{string.Join(",", InputShape!)}], got {LayerArgs.Format(inputs.Shape)}.");
        var mean = inputs.Mean(axis, keepDims: true);
        var variance = inputs.Variance(axis, keepDims: true);
        var y = (inputs - mean) * (variance + Epsilon).Rsqrt();
        if (Gamma is not null) y *= Gamma.Reshape(_broadcastShape);
        if (Beta is not null) y += Beta.Reshape(_broadcastShape);
        return y;
    }

    private int NormalizedAxis(int[] inputShape)
    {
        int rank = inputShape.Length + 1;
        int axis = Axis < 0 ? Axis + rank : Axis;
        if (axis <= 0 || axis >= rank)
            throw LayerArgs.Error(this, $"axis {Axis} is not a feature axis of input [batch,{string.Join(",", inputShape)}].");
        return axis;
    }
}
