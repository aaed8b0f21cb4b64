using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// keras_hub's TransformerEncoder: self-attention over every position, then a feedforward part, each with dropout, a
/// residual connection and layer normalization (after, or before with normalizeFirst). Input and output are
/// [batch, time, width]; the attention has <see cref="TransformerBlock.NumHeads"/> heads of width / heads. A padding
/// mask ([batch, time], true at real tokens; by default the incoming mask) hides padded keys. Sublayers and their
/// variables: self_attention, self_attention_layer_norm, feedforward_layer_norm, feedforward_intermediate_dense,
/// feedforward_output_dense.
/// </summary>
public sealed class TransformerEncoder : TransformerBlock
{
    private MultiHeadAttention? _attention;
    private LayerNormalization? _attentionNorm, _feedforwardNorm;
    private Dropout? _attentionDropout, _feedforwardDropout;
    private Dense? _intermediate, _output;

    /// <summary>Creates the block; throws ArgumentException for bad arguments.</summary>
    /// <param name="intermediateDim">Units of the feedforward hidden layer.</param>
    /// <param name="numHeads">Attention heads.</param>
    /// <param name="dropout">Dropout rate after each part and on the attention weights.</param>
    /// <param name="activation">The feedforward hidden activation (keras_hub's default "relu").</param>
    /// <param name="layerNormEpsilon">Epsilon of the layer normalizations (keras_hub's default 1e-5).</param>
    /// <param name="kernelInitializer">Default <see cref="GlorotUniform"/>.</param>
    /// <param name="biasInitializer">Default <see cref="Zeros"/>.</param>
    /// <param name="normalizeFirst">Pre-norm instead of post-norm.</param>
    /// <param name="name">The layer name; null gives "transformer_encoder_N".</param>
    public TransformerEncoder(int intermediateDim, int numHeads, double dropout = 0, string activation = "relu", double layerNormEpsilon = 1e-5,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, bool normalizeFirst = false, string? name = null)
        : base(intermediateDim, numHeads, dropout, activation, layerNormEpsilon, kernelInitializer, biasInitializer, normalizeFirst, name) { }

    /// <summary>The inverse of <see cref="TransformerBlock.GetConfig"/>: a new, unbuilt block from a saved config.</summary>
    internal static TransformerEncoder FromConfig(LayerConfig c) =>
        new(c.Int("intermediate_dim"), c.Int("num_heads"), c.Double("dropout", 0), c.String("activation", "relu")!, c.Double("layer_norm_epsilon", 1e-5),
            c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"), c.Bool("normalize_first", false), c.Name);

    /// <inheritdoc/>
    internal override TransformerParts? Parts => Built ? new(_attention!, _attentionNorm!, null, _intermediate!, _output!, _feedforwardNorm!) : null;

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        int width = ComputeOutputShape(inputShape)[1];
        _attention = Sublayer(NewAttention("self_attention", width), inputShape, generator);
        _attentionNorm = Sublayer(NewNorm("self_attention_layer_norm"), inputShape, generator);
        _attentionDropout = Sublayer(NewDropout("self_attention_dropout"), inputShape, generator);
        _feedforwardNorm = Sublayer(NewNorm("feedforward_layer_norm"), inputShape, generator);
        _intermediate = Sublayer(NewDense("feedforward_intermediate_dense", IntermediateDim, Activation), inputShape, generator);
        _output = Sublayer(NewDense("feedforward_output_dense", width, null), [inputShape[0], IntermediateDim], generator);
        _feedforwardDropout = Sublayer(NewDropout("feedforward_dropout"), inputShape, generator);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training) => Encode(inputs, null, training);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, Tensor mask, bool training) => Encode(inputs, MergeMasks(mask, null), training);

    /// <summary>
    /// keras_hub's call: <paramref name="paddingMask"/> [batch, time] hides padded keys, <paramref name="attentionMask"/>
    /// [batch, time, time] (or broadcasting to it) says which position may attend to which; both true = attend.
    /// </summary>
    public Tensor Call(Tensor inputs, Tensor? paddingMask, Tensor? attentionMask = null, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        EnsureBuilt(inputs);
        return Encode(AutoCast(inputs), MergeMasks(paddingMask, attentionMask), training);
    }

    private Tensor Encode(Tensor x, Tensor? mask, bool training)
    {
        x = Residual(x, _attentionNorm!, _attentionDropout!, h => _attention!.Call(h, h, attentionMask: mask, training: training), training);
        return Residual(x, _feedforwardNorm!, _feedforwardDropout!, h => _output!.Call(_intermediate!.Call(h)), training);
    }
}
