using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// Keras's MultiHeadAttention: the query, key and value are projected to <see cref="NumHeads"/> heads, each head attends
/// with scaled dot products (<see cref="Tensor.ScaledDotProductAttention"/>), and the heads are projected back. The
/// weights have Keras's layouts and names, so Keras weights load one to one: query/kernel [queryDim, heads, keyDim],
/// query/bias [heads, keyDim], key/… and value/… likewise, attention_output/kernel [heads, valueDim, outputDim] and
/// attention_output/bias [outputDim]. Inputs are [batch, time, features]. Called as a plain layer (in a
/// <see cref="Models.Sequential"/>) it is self-attention, taking the incoming mask as query, value and key mask.
/// </summary>
public sealed class MultiHeadAttention : Layer
{
    private int? _valueFeatures, _keyFeatures; // the value and key widths, when a call gives them before the build
    private Generator? _dropoutGenerator;

    /// <summary>Creates the layer; throws ArgumentException for non-positive sizes or a dropout rate outside [0, 1).</summary>
    /// <param name="numHeads">Attention heads.</param>
    /// <param name="keyDim">Size of each head for the query and key.</param>
    /// <param name="valueDim">Size of each head for the value; null means <paramref name="keyDim"/>.</param>
    /// <param name="dropout">Dropout rate on the attention weights in training.</param>
    /// <param name="useBias">Whether the four projections add biases.</param>
    /// <param name="outputShape">Features of the output; null means the query's.</param>
    /// <param name="kernelInitializer">Default <see cref="GlorotUniform"/> (with Keras's fans of the 3-D kernels).</param>
    /// <param name="biasInitializer">Default <see cref="Zeros"/>.</param>
    /// <param name="name">The layer name; null gives "multi_head_attention_N".</param>
    /// <param name="seed">Seeds the dropout masks; null derives it from the build generator.</param>
    public MultiHeadAttention(int numHeads, int keyDim, int? valueDim = null, double dropout = 0, bool useBias = true, int? outputShape = null,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, string? name = null, long? seed = null) : base(name)
    {
        if (numHeads <= 0 || keyDim <= 0 || valueDim is <= 0 || outputShape is <= 0)
            throw LayerArgs.Error(this, $"num_heads, key_dim, value_dim and output_shape must be positive, got {numHeads}, {keyDim}, {valueDim}, {outputShape}.");
        if (!(dropout >= 0 && dropout < 1)) throw LayerArgs.Error(this, $"dropout must be in [0, 1), got {dropout}.");
        NumHeads = numHeads;
        KeyDim = keyDim;
        ValueDim = valueDim ?? keyDim;
        DropoutRate = dropout;
        UseBias = useBias;
        OutputShape = outputShape;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        Seed = seed;
        if (seed is long s) _dropoutGenerator = new Generator(s);
    }

    /// <summary>Attention heads.</summary>
    public int NumHeads { get; }

    /// <summary>Size of each head for the query and key.</summary>
    public int KeyDim { get; }

    /// <summary>Size of each head for the value.</summary>
    public int ValueDim { get; }

    /// <summary>Dropout rate on the attention weights in training.</summary>
    public double DropoutRate { get; }

    /// <summary>Whether the projections add biases.</summary>
    public bool UseBias { get; }

    /// <summary>Output features, or null for the query's.</summary>
    public int? OutputShape { get; }

    /// <summary>Makes the four kernels.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Makes the four biases.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The dropout seed, or null to derive it from the build generator.</summary>
    public long? Seed { get; }

    /// <summary>[queryDim, heads, keyDim], once built.</summary>
    public Variable? QueryKernel { get; private set; }

    /// <summary>[heads, keyDim], once built (null without bias).</summary>
    public Variable? QueryBias { get; private set; }

    /// <summary>[keyInputDim, heads, keyDim], once built.</summary>
    public Variable? KeyKernel { get; private set; }

    /// <summary>[heads, keyDim], once built (null without bias).</summary>
    public Variable? KeyBias { get; private set; }

    /// <summary>[valueInputDim, heads, valueDim], once built.</summary>
    public Variable? ValueKernel { get; private set; }

    /// <summary>[heads, valueDim], once built (null without bias).</summary>
    public Variable? ValueBias { get; private set; }

    /// <summary>[heads, valueDim, outputDim], once built.</summary>
    public Variable? OutputKernel { get; private set; }

    /// <summary>[outputDim], once built (null without bias).</summary>
    public Variable? OutputBias { get; private set; }

    /// <summary>True: as self-attention the incoming mask hides padded queries and keys.</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        if (inputShape.Length != 2) throw LayerArgs.Error(this, $"expects input [batch, time, features], got input shape {LayerArgs.Format(inputShape)} (batch axis excluded).");
        return [inputShape[0], OutputShape ?? inputShape[1]];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("num_heads", NumHeads), ("key_dim", KeyDim), ("value_dim", ValueDim), ("dropout", DropoutRate), ("use_bias", UseBias),
        ("output_shape", OutputShape), ("kernel_initializer", Descent.Nn.Initializers.Initializers.Serialize(KernelInitializer)),
        ("bias_initializer", Descent.Nn.Initializers.Initializers.Serialize(BiasInitializer)), ("seed", Seed));

    /// <summary>
    /// Keras's build(query_shape, value_shape, key_shape): creates the weights for a query, value and key of these shapes
    /// (batch axis excluded; the key defaults to the value), where a plain <see cref="Layer.Build"/> assumes self-attention.
    /// </summary>
    public void Build(int[] queryShape, int[] valueShape, int[]? keyShape, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(queryShape);
        ArgumentNullException.ThrowIfNull(valueShape);
        if (valueShape.Length != 2 || keyShape is { Length: not 2 })
            throw LayerArgs.Error(this, $"value and key shapes are [time, features] (batch axis excluded), got {LayerArgs.Format(valueShape)} and {LayerArgs.Format(keyShape ?? valueShape)}.");
        (_valueFeatures, _keyFeatures) = (valueShape[1], (keyShape ?? valueShape)[1]);
        Build(queryShape, generator);
    }

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static MultiHeadAttention FromConfig(LayerConfig c) =>
        new(c.Int("num_heads"), c.Int("key_dim"), c.IntOrNull("value_dim"), c.Double("dropout", 0), c.Bool("use_bias", true), c.IntOrNull("output_shape"),
            c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"), c.Name, c.Long("seed"));

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        ComputeOutputShape(inputShape);
        int queryDim = inputShape[1], valueDim = _valueFeatures ?? queryDim, keyDim = _keyFeatures ?? valueDim;
        int outputDim = OutputShape ?? queryDim;
        QueryKernel = AddWeight("query/kernel", [queryDim, NumHeads, KeyDim], KernelInitializer, generator);
        if (UseBias) QueryBias = AddWeight("query/bias", [NumHeads, KeyDim], BiasInitializer, generator);
        KeyKernel = AddWeight("key/kernel", [keyDim, NumHeads, KeyDim], KernelInitializer, generator);
        if (UseBias) KeyBias = AddWeight("key/bias", [NumHeads, KeyDim], BiasInitializer, generator);
        ValueKernel = AddWeight("value/kernel", [valueDim, NumHeads, ValueDim], KernelInitializer, generator);
        if (UseBias) ValueBias = AddWeight("value/bias", [NumHeads, ValueDim], BiasInitializer, generator);
        OutputKernel = AddWeight("attention_output/kernel", [NumHeads, ValueDim, outputDim], KernelInitializer, generator);
        if (UseBias) OutputBias = AddWeight("attention_output/bias", [outputDim], BiasInitializer, generator);
        _dropoutGenerator ??= new Generator(unchecked((long)generator.NextUInt64()));
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training) => Attend(inputs, inputs, inputs, null, false, training, null, null, null).Output;

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, Tensor mask, bool training) => Attend(inputs, inputs, inputs, null, false, training, mask, mask, mask).Output;

    /// <summary>
    /// Attention of <paramref name="query"/> [batch, Tq, queryDim] over <paramref name="value"/> [batch, Tv, valueDim]
    /// (and <paramref name="key"/>, which defaults to the value), as Keras's call. <paramref name="attentionMask"/> is
    /// [batch, Tq, Tv] or broadcasts to it (bool, or numbers where nonzero means attend); <paramref name="useCausalMask"/> hides later
    /// positions; the query, value and key masks ([batch, T] bool, Keras's implicit masks) hide padded positions.
    /// Returns [batch, Tq, outputDim].
    /// </summary>
    public Tensor Call(Tensor query, Tensor value, Tensor? key = null, Tensor? attentionMask = null, bool useCausalMask = false,
        bool training = false, Tensor? queryMask = null, Tensor? valueMask = null, Tensor? keyMask = null) =>
        CallWithScores(query, value, key, attentionMask, useCausalMask, training, queryMask, valueMask, keyMask).Output;

    /// <summary>
    /// <see cref="Call(Tensor, Tensor, Tensor, Tensor, bool, bool, Tensor, Tensor, Tensor)"/> that also returns the
    /// attention scores [batch, heads, Tq, Tv] (the softmax weights before dropout): Keras's return_attention_scores=True.
    /// </summary>
    public (Tensor Output, Tensor Scores) CallWithScores(Tensor query, Tensor value, Tensor? key = null, Tensor? attentionMask = null,
        bool useCausalMask = false, bool training = false, Tensor? queryMask = null, Tensor? valueMask = null, Tensor? keyMask = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(value);
        key ??= value;
        if (!Built)
        {
            CheckRank3(query, "query");
            CheckRank3(value, "value");
            CheckRank3(key, "key");
            (_valueFeatures, _keyFeatures) = (value.Shape[2], key.Shape[2]);
            EnsureBuilt(query);
        }
        return Attend(AutoCast(query), AutoCast(value), AutoCast(key), attentionMask, useCausalMask, training, queryMask, valueMask, keyMask);
    }

    /// <summary>
    /// Causal self-attention of <paramref name="inputs"/> [batch, T, features], the positions that follow those already in
    /// <paramref name="cache"/>: their keys and values are appended to the cache, and each new position attends to every
    /// cached one and to the new ones up to itself. Calling it on a whole sequence with an empty cache, or one position
    /// at a time, gives what <c>Call(x, x, useCausalMask: true)</c> gives on the whole sequence.
    /// </summary>
    public Tensor CallWithCache(Tensor inputs, AttentionCache cache, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(cache);
        CheckRank3(inputs, "inputs");
        EnsureBuilt(inputs);
        inputs = AutoCast(inputs);
        var (q, k, v) = Project(inputs, inputs, inputs);
        int past = cache.Length, added = inputs.Shape[1];
        var (keys, values) = cache.Append(k, v);
        // New position i sits at past + i and may see keys 0..past + i: a triangle shifted right by the past.
        var mask = past == 0 || added == 1 ? null
            : Tensor.Full([added, past + added], 1, DType.Bool, inputs.Device).Tril(past);
        var output = Tensor.ScaledDotProductAttention(q, keys, values, mask, causal: past == 0 && added > 1,
            dropout: training ? DropoutRate : 0, generator: _dropoutGenerator, scale: 1 / Math.Sqrt(KeyDim));
        return Combine(output);
    }

    private (Tensor Output, Tensor Scores) Attend(Tensor query, Tensor value, Tensor key, Tensor? attentionMask, bool useCausalMask,
        bool training, Tensor? queryMask, Tensor? valueMask, Tensor? keyMask)
    {
        CheckRank3(query, "query");
        CheckRank3(value, "value");
        CheckRank3(key, "key");
        int batch = query.Shape[0], tq = query.Shape[1], tv = value.Shape[1];
        if (value.Shape[0] != batch || key.Shape[0] != batch || key.Shape[1] != tv)
            throw LayerArgs.Error(this, $"query {LayerArgs.Format(query.Shape)}, value {LayerArgs.Format(value.Shape)} and key {LayerArgs.Format(key.Shape)} need one batch size, and the key the value's length.");
        var (q, k, v) = Project(query, value, key);
        var mask = AttentionMask(batch, tq, tv, attentionMask, queryMask, valueMask, keyMask);
        var (output, scores) = Tensor.ScaledDotProductAttentionWithWeights(q, k, v, mask?.Unsqueeze(1), useCausalMask,
            training ? DropoutRate : 0, _dropoutGenerator, 1 / Math.Sqrt(KeyDim));
        return (Combine(output), scores);
    }

    // The three projections, each one fused dense product over every position, split into heads: [batch, heads, T, dim].
    private (Tensor Q, Tensor K, Tensor V) Project(Tensor query, Tensor value, Tensor key) =>
        (Heads(query, QueryKernel!, QueryBias, "query"), Heads(key, KeyKernel!, KeyBias, "key"), Heads(value, ValueKernel!, ValueBias, "value"));

    private Tensor Heads(Tensor x, Variable kernel, Variable? bias, string what)
    {
        int batch = x.Shape[0], time = x.Shape[1], features = kernel.Shape[0], width = kernel.Shape[1] * kernel.Shape[2];
        if (x.Shape[2] != features)
            throw LayerArgs.Error(this, $"was built for {what} features {features}, got {what} {LayerArgs.Format(x.Shape)}.");
        var y = Tensor.Dense(x.Reshape(batch * time, features), kernel.Reshape(features, width), bias?.Reshape(width));
        return y.Reshape(batch, time, kernel.Shape[1], kernel.Shape[2]).Transpose(0, 2, 1, 3);
    }

    // [batch, heads, Tq, valueDim] back to [batch, Tq, heads·valueDim], then the output projection.
    private Tensor Combine(Tensor heads)
    {
        int batch = heads.Shape[0], time = heads.Shape[2], width = NumHeads * ValueDim, outputDim = OutputKernel!.Shape[2];
        var merged = heads.Transpose(0, 2, 1, 3).Reshape(batch * time, width);
        return Tensor.Dense(merged, OutputKernel.Reshape(width, outputDim), OutputBias).Reshape(batch, time, outputDim);
    }

    // Keras's _compute_attention_mask: the explicit mask and the implicit ones, combined; null when there is none.
    private Tensor? AttentionMask(int batch, int tq, int tv, Tensor? attentionMask, Tensor? queryMask, Tensor? valueMask, Tensor? keyMask)
    {
        Tensor? mask = null;
        void And(Tensor m) => mask = mask is null ? m : Tensor.LogicalAnd(mask, m);
        if (queryMask is not null) And(Bool(queryMask, [batch, tq], "query mask").Unsqueeze(2));
        if (valueMask is not null) And(Bool(valueMask, [batch, tv], "value mask").Unsqueeze(1));
        if (keyMask is not null) And(Bool(keyMask, [batch, tv], "key mask").Unsqueeze(1));
        if (attentionMask is not null) And(Bool(attentionMask, [batch, tq, tv], "attention mask", broadcast: true));
        return mask;
    }

    private Tensor Bool(Tensor mask, int[] shape, string what, bool broadcast = false)
    {
        if (broadcast && mask.Rank == shape.Length && mask.Shape.Select((d, i) => d == 1 || d == shape[i]).All(ok => ok))
            mask = mask.BroadcastTo(shape);
        if (!mask.Shape.SequenceEqual(shape))
            throw LayerArgs.Error(this, $"the {what} has shape {LayerArgs.Format(mask.Shape)}, expected {LayerArgs.Format(shape)}.");
        return mask.DType == DType.Bool ? mask : Tensor.NotEqual(mask, Tensor.Scalar(0, mask.DType, mask.Device));
    }

    private void CheckRank3(Tensor x, string what)
    {
        if (x.Rank != 3) throw LayerArgs.Error(this, $"expects the {what} as [batch, time, features], got {LayerArgs.Format(x.Shape)}.");
    }
}
