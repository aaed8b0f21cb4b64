using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// Normalizes each feature along <see cref="Axis"/> with the batch's mean and variance in training, and with
/// moving averages of them at inference, then scales by gamma and shifts by beta. Each training call updates
/// <c>moving = moving · momentum + batch · (1 − momentum)</c> with the population variance, as Keras does.
/// </summary>
public sealed class BatchNormalization : Layer
{
    private int[] _reduceAxes = [];
    private int[] _broadcastShape = [];

    /// <summary>Creates the layer; throws ArgumentException for a momentum outside [0, 1] or a non-positive epsilon.</summary>
    /// <param name="axis">The feature axis, counting the batch axis (−1 is the last); it cannot be the batch axis.</param>
    /// <param name="momentum">Weight of the old moving statistics.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="center">Whether to learn beta.</param>
    /// <param name="scale">Whether to learn gamma.</param>
    /// <param name="name">The layer name; null gives "batch_normalization_N".</param>
    public BatchNormalization(int axis = -1, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true, string? name = null) : base(name)
    {
        if (!(momentum >= 0 && momentum <= 1)) throw LayerArgs.Error(this, $"momentum must be in [0, 1], got {momentum}.");
        if (!(epsilon > 0)) throw LayerArgs.Error(this, $"epsilon must be positive, got {epsilon}.");
        Axis = axis;
        Momentum = momentum;
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
    }

    /// <summary>The feature axis (counting the batch axis).</summary>
    public int Axis { get; }

    /// <summary>Weight of the old moving statistics.</summary>
    public double Momentum { get; }

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

    /// <summary>The moving mean used at inference (non-trainable).</summary>
    public Variable? MovingMean { get; private set; }

    /// <summary>The moving variance used at inference (non-trainable).</summary>
    public Variable? MovingVariance { get; private set; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        FeatureAxis(inputShape);
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("axis", Axis), ("momentum", Momentum), ("epsilon", Epsilon), ("center", Center), ("scale", Scale));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static BatchNormalization FromConfig(LayerConfig c) => new(c.Int("axis", -1), c.Double("momentum", 0.99),
        c.Double("epsilon", 1e-3), c.Bool("center", true), c.Bool("scale", true), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        int axis = FeatureAxis(inputShape);
        int rank = inputShape.Length + 1, features = inputShape[axis - 1];
        _reduceAxes = Enumerable.Range(0, rank).Where(a => a != axis).ToArray();
        _broadcastShape = Enumerable.Range(0, rank).Select(a => a == axis ? features : 1).ToArray();
        if (Scale) Gamma = AddWeight("gamma", [features], new Ones(), generator);
        if (Center) Beta = AddWeight("beta", [features], new Zeros(), generator);
        MovingMean = AddWeight("moving_mean", [features], new Zeros(), generator, trainable: false);
        MovingVariance = AddWeight("moving_variance", [features], new Ones(), generator, trainable: false);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        if (inputs.Rank != _broadcastShape.Length || inputs.Shape[FeatureAxis(InputShape!)] != MovingMean!.Shape[0])
            throw LayerArgs.Error(this, $"was built for input [batch,{string.Join(",", InputShape!)}], got {LayerArgs.Format(inputs.Shape)}.");
        Tensor mean, variance;
        if (training)
        {
            mean = inputs.Mean(_reduceAxes, keepDims: true);
            variance = inputs.Variance(_reduceAxes, keepDims: true);
            int features = MovingMean.Shape[0];
            // StopGradient keeps the update off any tape: moving statistics are state, not part of the loss.
            MovingMean.Assign(MovingMean * Momentum + mean.StopGradient().Reshape(features) * (1 - Momentum));
            MovingVariance!.Assign(MovingVariance * Momentum + variance.StopGradient().Reshape(features) * (1 - Momentum));
        }
        else
        {
            mean = MovingMean.Reshape(_broadcastShape);
            variance = MovingVariance!.Reshape(_broadcastShape);
        }
        var y = (inputs - mean) * (variance + Epsilon).Rsqrt();
        if (Gamma is not null) y *= Gamma.Reshape(_broadcastShape);
        if (Beta is not null) y += Beta.Reshape(_broadcastShape);
        return y;
    }

    // The axis counting the batch axis, checked against the input rank.
    private int FeatureAxis(int[] inputShape)
    {
        int rank = inputShape.Length + 1;
        int axis = Axis < 0 ? Axis + rank : Axis;
        if (axis <= 0 || axis >= rank)
            throw LayerArgs.Error(this, $"axis {Axis} is not a feature axis of input [batch,{string.Join(",", inputShape)}].");
        return axis;
    }
}
