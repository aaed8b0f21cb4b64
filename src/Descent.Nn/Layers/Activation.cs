namespace Descent.Nn.Layers;

/// <summary>Applies a Keras activation function by name.</summary>
public sealed class Activation : Layer
{
    private readonly Func<Tensor, Tensor> _function;

    /// <summary>Creates the layer; throws ArgumentException for an unknown activation.</summary>
    public Activation(string activation, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(activation);
        _function = LayerArgs.Activation(this, activation);
        ActivationName = activation;
    }

    /// <summary>The activation's Keras name.</summary>
    public string ActivationName { get; }

    /// <summary>True: the layer works on each step alone, so a mask passes through it unchanged (as in Keras).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        LayerArgs.Config(this, base.GetConfig(), ("activation", ActivationName));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static Activation FromConfig(LayerConfig c) => new(c.String("activation", null) ?? throw c.Missing("activation"), c.Name);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training) => _function(inputs);
}
