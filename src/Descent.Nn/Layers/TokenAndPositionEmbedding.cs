using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// keras_hub's TokenAndPositionEmbedding: token ids [batch, time] become the sum of a learned token embedding and a
/// learned embedding of each position, [batch, time, embeddingDim]. Weights: token_embedding/embeddings
/// [vocabularySize, embeddingDim] and position_embedding/embeddings [sequenceLength, embeddingDim]. With
/// <see cref="MaskZero"/>, id 0 is padding and the layer emits a mask.
/// </summary>
public sealed class TokenAndPositionEmbedding : Layer
{
    /// <summary>Creates the layer; throws ArgumentException for non-positive sizes.</summary>
    /// <param name="vocabularySize">Token ids run over [0, vocabularySize).</param>
    /// <param name="sequenceLength">The longest sequence: positions run over [0, sequenceLength).</param>
    /// <param name="embeddingDim">Width of both embeddings.</param>
    /// <param name="embeddingsInitializer">For both tables; default <see cref="RandomUniform"/>(−0.05, 0.05), keras_hub's "uniform".</param>
    /// <param name="maskZero">Treat id 0 as padding and emit a mask.</param>
    /// <param name="name">The layer name; null gives "token_and_position_embedding_N".</param>
    public TokenAndPositionEmbedding(int vocabularySize, int sequenceLength, int embeddingDim, Initializer? embeddingsInitializer = null,
        bool maskZero = false, string? name = null) : base(name)
    {
        if (vocabularySize <= 0 || sequenceLength <= 0 || embeddingDim <= 0)
            throw LayerArgs.Error(this, $"vocabulary_size, sequence_length and embedding_dim must be positive, got {vocabularySize}, {sequenceLength} and {embeddingDim}.");
        VocabularySize = vocabularySize;
        SequenceLength = sequenceLength;
        EmbeddingDim = embeddingDim;
        EmbeddingsInitializer = embeddingsInitializer ?? new RandomUniform(-0.05, 0.05);
        MaskZero = maskZero;
    }

    /// <summary>Token ids run over [0, VocabularySize).</summary>
    public int VocabularySize { get; }

    /// <summary>The longest sequence the position table covers.</summary>
    public int SequenceLength { get; }

    /// <summary>Width of both embeddings.</summary>
    public int EmbeddingDim { get; }

    /// <summary>Makes both tables.</summary>
    public Initializer EmbeddingsInitializer { get; }

    /// <summary>Whether id 0 is padding, masked for the layers after this one.</summary>
    public bool MaskZero { get; }

    /// <summary>[vocabularySize, embeddingDim], once built.</summary>
    public Variable? TokenEmbeddings { get; private set; }

    /// <summary>[sequenceLength, embeddingDim], once built.</summary>
    public Variable? PositionEmbeddings { get; private set; }

    /// <summary>True at the ids that are not 0 when <see cref="MaskZero"/>; otherwise no mask.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) =>
        MaskZero ? Tensor.NotEqual(inputs, Tensor.Scalar(0, inputs.DType, inputs.Device)) : null;

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        if (inputShape.Length != 1) throw LayerArgs.Error(this, $"expects token ids [batch, time], got input shape {LayerArgs.Format(inputShape)} (batch axis excluded).");
        return [inputShape[0], EmbeddingDim];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("vocabulary_size", VocabularySize), ("sequence_length", SequenceLength), ("embedding_dim", EmbeddingDim),
        ("embeddings_initializer", Descent.Nn.Initializers.Initializers.Serialize(EmbeddingsInitializer)), ("mask_zero", MaskZero));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static TokenAndPositionEmbedding FromConfig(LayerConfig c) =>
        new(c.Int("vocabulary_size"), c.Int("sequence_length"), c.Int("embedding_dim"), c.Initializer("embeddings_initializer"),
            c.Bool("mask_zero", false), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        ComputeOutputShape(inputShape);
        TokenEmbeddings = AddWeight("token_embedding/embeddings", [VocabularySize, EmbeddingDim], EmbeddingsInitializer, generator);
        PositionEmbeddings = AddWeight("position_embedding/embeddings", [SequenceLength, EmbeddingDim], EmbeddingsInitializer, generator);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training) => Embed(inputs, 0);

    /// <summary>
    /// The embeddings of ids [batch, time] placed at positions <paramref name="startIndex"/>, startIndex + 1, … (keras_hub's
    /// start_index): how a generator embeds the newest tokens of a sequence whose earlier ones it has cached.
    /// </summary>
    public Tensor Call(Tensor inputs, int startIndex, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        EnsureBuilt(inputs);
        return Embed(inputs, startIndex);
    }

    private Tensor Embed(Tensor inputs, int start)
    {
        if (inputs.Rank != 2) throw LayerArgs.Error(this, $"expects token ids [batch, time], got {LayerArgs.Format(inputs.Shape)}.");
        int time = inputs.Shape[1];
        if (start < 0 || start + time > SequenceLength)
            throw LayerArgs.Error(this, $"positions {start} to {start + time - 1} are outside the sequence length {SequenceLength}.");
        var ids = inputs.DType.IsInteger() ? inputs : inputs.Cast(DType.Int32);
        ids.CheckRange(VocabularySize, () =>
        {
            long lowest = ids.Min().Item<long>(), highest = ids.Max().Item<long>();
            return LayerArgs.Error(this, $"token id {(lowest < 0 ? lowest : highest)} is outside [0, {VocabularySize}).");
        });
        return TokenEmbeddings!.Gather(ids, axis: 0) + PositionEmbeddings!.SliceAxis(0, start, time);
    }
}
