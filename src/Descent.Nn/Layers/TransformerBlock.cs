using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// What keras_hub's TransformerEncoder and TransformerDecoder share: their arguments, the feedforward part (a dense
/// layer of <see cref="IntermediateDim"/> units with <see cref="Activation"/>, then one back to the model width), the
/// residual connections with layer normalization after each part (or before, with <see cref="NormalizeFirst"/>), and
/// sublayers whose variables are named "{block}/{sublayer}/…" as keras_hub's are.
/// </summary>
public abstract class TransformerBlock : Layer
{
    private readonly List<Layer> _sublayers = [];

    /// <summary>Checks the shared arguments; throws ArgumentException for bad ones.</summary>
    protected TransformerBlock(int intermediateDim, int numHeads, double dropout, string activation, double layerNormEpsilon,
        Initializer? kernelInitializer, Initializer? biasInitializer, bool normalizeFirst, string? name) : base(name)
    {
        if (intermediateDim <= 0 || numHeads <= 0)
            throw LayerArgs.Error(this, $"intermediate_dim and num_heads must be positive, got {intermediateDim} and {numHeads}.");
        if (!(dropout >= 0 && dropout < 1)) throw LayerArgs.Error(this, $"dropout must be in [0, 1), got {dropout}.");
        if (!(layerNormEpsilon > 0)) throw LayerArgs.Error(this, $"layer_norm_epsilon must be positive, got {layerNormEpsilon}.");
        LayerArgs.Activation(this, activation);
        IntermediateDim = intermediateDim;
        NumHeads = numHeads;
        DropoutRate = dropout;
        Activation = activation;
        LayerNormEpsilon = layerNormEpsilon;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        NormalizeFirst = normalizeFirst;
    }

    /// <summary>Units of the feedforward part's hidden layer.</summary>
    public int IntermediateDim { get; }

    /// <summary>Attention heads; the model width must be a multiple.</summary>
    public int NumHeads { get; }

    /// <summary>Dropout rate after each part and on the attention weights, in training.</summary>
    public double DropoutRate { get; }

    /// <summary>The feedforward hidden layer's activation (a Keras name).</summary>
    public string Activation { get; }

    /// <summary>Epsilon of every layer normalization.</summary>
    public double LayerNormEpsilon { get; }

    /// <summary>Makes every kernel.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Makes every bias.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>Normalize before each part (pre-norm, as GPT-2) instead of after the residual sum (post-norm, the original transformer's).</summary>
    public bool NormalizeFirst { get; }

    /// <summary>The sublayers' variables, in keras_hub's build order.</summary>
    public override IReadOnlyList<Variable> Variables => _sublayers.SelectMany(l => l.Variables).ToList();

    /// <summary>True: the mask marks padded positions, which no position attends to.</summary>
    public override bool SupportsMasking => true;

    /// <summary>True: the weights are the sublayers', so float inputs are cast to the block's dtype as for any layer with weights.</summary>
    protected override bool CastsInputs => true;

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        if (inputShape.Length != 2) throw LayerArgs.Error(this, $"expects input [batch, time, features], got input shape {LayerArgs.Format(inputShape)} (batch axis excluded).");
        if (inputShape[1] % NumHeads != 0) throw LayerArgs.Error(this, $"the width {inputShape[1]} is not a multiple of num_heads {NumHeads}.");
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("intermediate_dim", IntermediateDim), ("num_heads", NumHeads), ("dropout", DropoutRate), ("activation", Activation),
        ("layer_norm_epsilon", LayerNormEpsilon), ("kernel_initializer", Descent.Nn.Initializers.Initializers.Serialize(KernelInitializer)),
        ("bias_initializer", Descent.Nn.Initializers.Initializers.Serialize(BiasInitializer)), ("normalize_first", NormalizeFirst));

    /// <summary>The sublayers that compute, once built (null before, and for a block class other than the library's two).</summary>
    internal virtual TransformerParts? Parts => null;

    /// <summary>Builds <paramref name="layer"/> now, in this block's dtype, and tracks its variables.</summary>
    protected T Sublayer<T>(T layer, int[] inputShape, Generator generator) where T : Layer
    {
        layer.DType = DType;
        layer.Build(inputShape, generator);
        _sublayers.Add(layer);
        return layer;
    }

    /// <summary>A self- or cross-attention sublayer with this block's heads, dropout and initializers.</summary>
    protected MultiHeadAttention NewAttention(string name, int width) =>
        new(NumHeads, width / NumHeads, dropout: DropoutRate, kernelInitializer: KernelInitializer, biasInitializer: BiasInitializer, name: $"{Name}/{name}");

    /// <summary>A layer normalization sublayer with this block's epsilon.</summary>
    protected LayerNormalization NewNorm(string name) => new(epsilon: LayerNormEpsilon, name: $"{Name}/{name}");

    /// <summary>A dropout sublayer at this block's rate.</summary>
    protected Dropout NewDropout(string name) => new(DropoutRate, name: $"{Name}/{name}");

    /// <summary>A dense sublayer with this block's initializers.</summary>
    protected Dense NewDense(string name, int units, string? activation) =>
        new(units, activation, kernelInitializer: KernelInitializer, biasInitializer: BiasInitializer, name: $"{Name}/{name}");

    /// <summary>
    /// One residual part: x + dropout(part(norm(x))) with <see cref="NormalizeFirst"/>, else norm(x + dropout(part(x))).
    /// </summary>
    protected Tensor Residual(Tensor x, LayerNormalization norm, Dropout dropout, Func<Tensor, Tensor> part, bool training)
    {
        var y = dropout.Call(part(NormalizeFirst ? norm.Call(x) : x), training) + x;
        return NormalizeFirst ? y : norm.Call(y);
    }

    /// <summary>keras_hub's merge_padding_and_attention_mask: a [batch, T] padding mask hides keys ([batch, 1, T]), and an explicit [batch, Tq, T] mask is and-ed in.</summary>
    protected Tensor? MergeMasks(Tensor? paddingMask, Tensor? attentionMask)
    {
        Tensor? mask = null;
        if (paddingMask is not null)
        {
            if (paddingMask.Rank != 2) throw LayerArgs.Error(this, $"a padding mask is [batch, time], got {LayerArgs.Format(paddingMask.Shape)}.");
            mask = AsBool(paddingMask).Unsqueeze(1);
        }
        if (attentionMask is not null)
        {
            var explicitMask = AsBool(attentionMask);
            mask = mask is null ? explicitMask : Tensor.LogicalAnd(mask, explicitMask);
        }
        return mask;
    }

    private static Tensor AsBool(Tensor mask) =>
        mask.DType == DType.Bool ? mask : Tensor.NotEqual(mask, Tensor.Scalar(0, mask.DType, mask.Device));
}
