namespace Descent.Nn.Layers;

/// <summary>
/// Inverted dropout: in training, zeroes each element with probability <see cref="Rate"/> and scales the rest
/// by 1 / (1 − rate); at inference it is the identity. Masks come from a <see cref="Generator"/>, seeded by
/// <see cref="Seed"/> or, when that is null, from the generator the layer is built with.
/// </summary>
public sealed class Dropout : Layer
{
    private Generator? _generator;

    /// <summary>Creates the layer; throws ArgumentException when the rate is outside [0, 1).</summary>
    public Dropout(double rate, long? seed = null, string? name = null) : base(name)
    {
        if (!(rate >= 0 && rate < 1)) throw LayerArgs.Error(this, $"rate must be in [0, 1), got {rate}.");
        Rate = rate;
        Seed = seed;
        if (seed is long s) _generator = new Generator(s);
    }

    /// <summary>The fraction of elements dropped in training.</summary>
    public double Rate { get; }

    /// <summary>The mask seed, or null to derive it from the build generator.</summary>
    public long? Seed { get; }

    /// <summary>True: the layer works on each step alone, so a mask passes through it unchanged (as in Keras).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        LayerArgs.Config(this, base.GetConfig(), ("rate", Rate), ("seed", Seed));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static Dropout FromConfig(LayerConfig c) => new(c.Double("rate"), c.Long("seed"), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator) =>
        _generator ??= new Generator(unchecked((long)generator.NextUInt64()));

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        if (!training || Rate == 0) return inputs;
        var uniform = Tensor.RandomUniform(inputs.Shape.ToArray(), _generator!, dtype: inputs.DType, device: inputs.Device);
        var keep = Tensor.GreaterEqual(uniform, Tensor.Scalar(Rate, inputs.DType, inputs.Device)).Cast(inputs.DType);
        return inputs * keep * (1.0 / (1.0 - Rate));
    }
}
