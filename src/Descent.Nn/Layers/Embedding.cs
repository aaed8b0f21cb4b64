using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// Maps integer ids in [0, <see cref="InputDim"/>) to rows of a learned [inputDim, outputDim] table:
/// input [batch, ...] becomes [batch, ..., outputDim]. Float ids are truncated to integers, as Keras casts them.
/// With <see cref="MaskZero"/>, id 0 is padding: the layer's mask (<see cref="ComputeMask"/>) is false there, and the
/// layers after it that take masks skip those steps.
/// </summary>
public sealed class Embedding : Layer
{
    /// <summary>Creates the layer; throws ArgumentException for non-positive dimensions.</summary>
    /// <param name="inputDim">Vocabulary size.</param>
    /// <param name="outputDim">Embedding size.</param>
    /// <param name="embeddingsInitializer">Default <see cref="RandomUniform"/>(−0.05, 0.05), as Keras.</param>
    /// <param name="name">The layer name; null gives "embedding_N".</param>
    /// <param name="maskZero">Treat id 0 as padding and emit a mask (Keras's mask_zero).</param>
    public Embedding(int inputDim, int outputDim, Initializer? embeddingsInitializer = null, string? name = null, bool maskZero = false) : base(name)
    {
        if (inputDim <= 0 || outputDim <= 0)
            throw LayerArgs.Error(this, $"input_dim and output_dim must be positive, got {inputDim} and {outputDim}.");
        InputDim = inputDim;
        OutputDim = outputDim;
        EmbeddingsInitializer = embeddingsInitializer ?? new RandomUniform(-0.05, 0.05);
        MaskZero = maskZero;
    }

    /// <summary>Whether id 0 is padding, masked for the layers after this one.</summary>
    public bool MaskZero { get; }

    /// <summary>True at the ids that are not 0 when <see cref="MaskZero"/>; otherwise no mask.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) =>
        MaskZero ? Tensor.NotEqual(inputs, Tensor.Scalar(0, inputs.DType, inputs.Device)) : null;

    /// <summary>Vocabulary size.</summary>
    public int InputDim { get; }

    /// <summary>Embedding size.</summary>
    public int OutputDim { get; }

    /// <summary>Makes the table.</summary>
    public Initializer EmbeddingsInitializer { get; }

    /// <summary>The [inputDim, outputDim] table, once built.</summary>
    public Variable? Embeddings { get; private set; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => [.. inputShape, OutputDim];

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("input_dim", InputDim), ("output_dim", OutputDim),
        ("embeddings_initializer", Descent.Nn.Initializers.Initializers.Serialize(EmbeddingsInitializer)), ("mask_zero", MaskZero));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static Embedding FromConfig(LayerConfig c) =>
        new(c.Int("input_dim"), c.Int("output_dim"), c.Initializer("embeddings_initializer"), c.Name, c.Bool("mask_zero", false));

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator) =>
        Embeddings = AddWeight("embeddings", [InputDim, OutputDim], EmbeddingsInitializer, generator);

    /// <summary>False: the inputs are ids, which a cast to float32 would round above 2²⁴ (Keras's Embedding does not autocast either).</summary>
    protected override bool CastsInputs => false;

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training)
    {
        var ids = inputs.DType.IsInteger() ? inputs : inputs.Cast(DType.Int32);
        ids.CheckRange(InputDim, () =>
        {
            long lowest = ids.Min().Item<long>(), highest = ids.Max().Item<long>();
            return LayerArgs.Error(this, $"id {(lowest < 0 ? lowest : highest)} is outside [0, {InputDim}).");
        });
        return Embeddings!.Gather(ids, axis: 0);
    }
}
