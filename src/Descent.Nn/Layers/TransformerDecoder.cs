using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// keras_hub's TransformerDecoder: causal self-attention (each position sees itself and the ones before it), then,
/// when the block is built with an encoder sequence, cross-attention over that sequence, then a feedforward part; each
/// part with dropout, a residual connection and layer normalization (after, or before with normalizeFirst, as GPT-2).
/// Input and output are [batch, time, width]. Without an encoder sequence it is a GPT block. Sublayers and their
/// variables: self_attention, self_attention_layer_norm, [cross_attention, cross_attention_layer_norm,]
/// feedforward_intermediate_dense, feedforward_output_dense, feedforward_layer_norm.
/// </summary>
public sealed class TransformerDecoder : TransformerBlock
{
    private int? _encoderWidth; // set by a call with an encoder sequence before the build
    private MultiHeadAttention? _selfAttention, _crossAttention;
    private LayerNormalization? _selfAttentionNorm, _crossAttentionNorm, _feedforwardNorm;
    private Dropout? _selfAttentionDropout, _crossAttentionDropout, _feedforwardDropout;
    private Dense? _intermediate, _output;

    /// <summary>Creates the block; throws ArgumentException for bad arguments.</summary>
    /// <param name="intermediateDim">Units of the feedforward hidden layer.</param>
    /// <param name="numHeads">Attention heads.</param>
    /// <param name="dropout">Dropout rate after each part and on the attention weights.</param>
    /// <param name="activation">The feedforward hidden activation (keras_hub's default "relu"; GPT uses "gelu").</param>
    /// <param name="layerNormEpsilon">Epsilon of the layer normalizations (keras_hub's default 1e-5).</param>
    /// <param name="kernelInitializer">Default <see cref="GlorotUniform"/>.</param>
    /// <param name="biasInitializer">Default <see cref="Zeros"/>.</param>
    /// <param name="normalizeFirst">Pre-norm instead of post-norm.</param>
    /// <param name="name">The layer name; null gives "transformer_decoder_N".</param>
    public TransformerDecoder(int intermediateDim, int numHeads, double dropout = 0, string activation = "relu", double layerNormEpsilon = 1e-5,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, bool normalizeFirst = false, string? name = null)
        : base(intermediateDim, numHeads, dropout, activation, layerNormEpsilon, kernelInitializer, biasInitializer, normalizeFirst, name) { }

    /// <summary>Whether the block has cross-attention (it was built by a call with an encoder sequence).</summary>
    public bool HasCrossAttention => _crossAttention is not null;

    /// <summary>The inverse of <see cref="TransformerBlock.GetConfig"/>: a new, unbuilt block from a saved config (without cross-attention, which its first call decides).</summary>
    internal static TransformerDecoder FromConfig(LayerConfig c) =>
        new(c.Int("intermediate_dim"), c.Int("num_heads"), c.Double("dropout", 0), c.String("activation", "relu")!, c.Double("layer_norm_epsilon", 1e-5),
            c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"), c.Bool("normalize_first", false), c.Name);

    /// <inheritdoc/>
    internal override TransformerParts? Parts =>
        Built ? new(_selfAttention!, _selfAttentionNorm!, _crossAttention, _intermediate!, _output!, _feedforwardNorm!) : null;

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        int width = ComputeOutputShape(inputShape)[1];
        _selfAttention = Sublayer(NewAttention("self_attention", width), inputShape, generator);
        _selfAttentionNorm = Sublayer(NewNorm("self_attention_layer_norm"), inputShape, generator);
        _selfAttentionDropout = Sublayer(NewDropout("self_attention_dropout"), inputShape, generator);
        if (_encoderWidth is int encoderWidth)
        {
            // The cross-attention's key and value come from the encoder, so its build needs their width too.
            _crossAttention = NewAttention("cross_attention", width);
            _crossAttention.DType = DType;
            _crossAttention.Build(inputShape, [1, encoderWidth], null, generator);
            Sublayer(_crossAttention, inputShape, generator);
            _crossAttentionNorm = Sublayer(NewNorm("cross_attention_layer_norm"), inputShape, generator);
            _crossAttentionDropout = Sublayer(NewDropout("cross_attention_dropout"), inputShape, generator);
        }
        _intermediate = Sublayer(NewDense("feedforward_intermediate_dense", IntermediateDim, Activation), inputShape, generator);
        _output = Sublayer(NewDense("feedforward_output_dense", width, null), [inputShape[0], IntermediateDim], generator);
        _feedforwardNorm = Sublayer(NewNorm("feedforward_layer_norm"), inputShape, generator);
        _feedforwardDropout = Sublayer(NewDropout("feedforward_dropout"), inputShape, generator);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training) => Decode(inputs, null, null, null, true, training);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, Tensor mask, bool training) => Decode(inputs, MergeMasks(mask, null), null, null, true, training);

    /// <summary>
    /// keras_hub's call. <paramref name="encoderSequence"/> [batch, Te, encoderWidth] is required by a block built with
    /// one and refused by a block built without (the first call decides). The padding masks ([batch, T], true at real
    /// tokens) hide padded keys; the attention masks ([batch, Tq, Tk] or broadcasting) say which position may attend to
    /// which; <paramref name="useCausalMask"/> (keras_hub's default) also hides later decoder positions.
    /// </summary>
    public Tensor Call(Tensor decoderSequence, Tensor? encoderSequence, Tensor? decoderPaddingMask = null, Tensor? decoderAttentionMask = null,
        Tensor? encoderPaddingMask = null, Tensor? encoderAttentionMask = null, bool useCausalMask = true, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(decoderSequence);
        if (!Built && encoderSequence is not null)
        {
            if (encoderSequence.Rank != 3) throw LayerArgs.Error(this, $"expects the encoder sequence as [batch, time, features], got {LayerArgs.Format(encoderSequence.Shape)}.");
            _encoderWidth = encoderSequence.Shape[2];
        }
        EnsureBuilt(decoderSequence);
        return Decode(AutoCast(decoderSequence), MergeMasks(decoderPaddingMask, decoderAttentionMask), encoderSequence is null ? null : AutoCast(encoderSequence),
            MergeMasks(encoderPaddingMask, encoderAttentionMask), useCausalMask, training);
    }

    /// <summary>
    /// The block on the positions of <paramref name="inputs"/> [batch, T, width] that follow those whose self-attention
    /// keys and values are in <paramref name="cache"/> (which this call extends): what a generator runs once per new
    /// token. Equal to the causal <see cref="Layer.Call(Tensor, bool, Tensor)"/> on the whole sequence. Blocks with
    /// cross-attention are not supported.
    /// </summary>
    public Tensor CallWithCache(Tensor inputs, AttentionCache cache, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(cache);
        EnsureBuilt(inputs);
        if (HasCrossAttention) throw LayerArgs.Error(this, "a block with cross-attention cannot run with a cache.");
        var x = Residual(AutoCast(inputs), _selfAttentionNorm!, _selfAttentionDropout!, h => _selfAttention!.CallWithCache(h, cache, training), training);
        return FeedForward(x, training);
    }

    private Tensor Decode(Tensor x, Tensor? selfMask, Tensor? encoder, Tensor? crossMask, bool causal, bool training)
    {
        if (encoder is null && HasCrossAttention)
            throw LayerArgs.Error(this, "was built with cross-attention, so it needs an encoder sequence.");
        if (encoder is not null && !HasCrossAttention)
            throw LayerArgs.Error(this, "was built without cross-attention (its first call had no encoder sequence), so it takes none.");
        x = Residual(x, _selfAttentionNorm!, _selfAttentionDropout!,
            h => _selfAttention!.Call(h, h, attentionMask: selfMask, useCausalMask: causal, training: training), training);
        if (encoder is not null)
            x = Residual(x, _crossAttentionNorm!, _crossAttentionDropout!,
                h => _crossAttention!.Call(h, encoder, attentionMask: crossMask, training: training), training);
        return FeedForward(x, training);
    }

    private Tensor FeedForward(Tensor x, bool training) =>
        Residual(x, _feedforwardNorm!, _feedforwardDropout!, h => _output!.Call(_intermediate!.Call(h)), training);
}
