using Descent.Nn.Layers;

namespace Descent.Onnx.Layers;

/// <summary>
/// MultiHeadAttention as MatMul, Softmax and Where nodes; TokenAndPositionEmbedding as its two tables; TransformerEncoder
/// and TransformerDecoder (without cross-attention, as GPT's blocks) as their sublayers with the residual sums between.
/// </summary>
internal static class AttentionExports
{
    public static void Register()
    {
        OnnxExporters.RegisterLayer<MultiHeadAttention>(SelfAttention);
        OnnxExporters.RegisterLayer<TokenAndPositionEmbedding>(TokenAndPositionEmbedding, takesIds: true);
        OnnxExporters.RegisterLayer<TransformerEncoder>((layer, x, graph) => Block(layer, x, causal: false, graph));
        OnnxExporters.RegisterLayer<TransformerDecoder>((layer, x, graph) => Block(layer, x, causal: true, graph));
    }

    // As a layer of a Sequential, MultiHeadAttention attends over its own input, and the incoming mask hides padded
    // queries and keys alike (Keras's query, value and key masks): [batch, T, 1] and [batch, 1, T], and-ed.
    private static string SelfAttention(MultiHeadAttention layer, string x, OnnxGraph graph)
    {
        string? allowed = graph.InputMask is { } mask ? graph.Node("And", [Unsqueeze(graph, mask, 2), Unsqueeze(graph, mask, 1)]) : null;
        return Attention(layer, "", x, allowed, causal: false, graph);
    }

    // Scaled dot-product attention of x [batch, T, features] over itself, as Descent's MultiHeadAttention computes it:
    // `allowed` (bool, broadcasting to [batch, T, T]) and, when causal, the lower triangle say which query may attend to
    // which key, and a query that may attend to none gets zero weights. Constants are named prefix + Keras's names.
    private static string Attention(MultiHeadAttention layer, string prefix, string x, string? allowed, bool causal, OnnxGraph graph)
    {
        int time = layer.InputShape![0];
        var type = graph.TypeOf(x);
        string q = Heads(graph, x, layer.QueryKernel!, layer.QueryBias, $"{prefix}query", time);
        string k = Heads(graph, x, layer.KeyKernel!, layer.KeyBias, $"{prefix}key", time);
        string v = Heads(graph, x, layer.ValueKernel!, layer.ValueBias, $"{prefix}value", time);
        // [batch, heads, T, T], scaled after the product as Descent scales.
        string scores = graph.Node("Mul", [graph.Node("MatMul", [q, graph.Node("Transpose", [k], ("perm", new[] { 0, 1, 3, 2 }))]),
            graph.Scalar($"{prefix}scale", 1 / Math.Sqrt(layer.KeyDim), type)]);
        if (allowed is not null) allowed = Unsqueeze(graph, allowed, 1);   // the same mask for every head
        if (causal)
        {
            string triangle = graph.Constant($"{prefix}causal_mask", Tensor.Full([time, time], 1, DType.Bool).Tril());
            allowed = allowed is null ? triangle : graph.Node("And", [allowed, triangle]);
        }
        string weights = graph.Node("Softmax", [allowed is null ? scores : graph.Node("Where", [allowed, scores, graph.Scalar("minus_infinity", double.NegativeInfinity, type)])],
            ("axis", -1));
        // Hidden keys at −∞ weigh exactly 0; a row with every key hidden is NaN out of Softmax, which this Where makes 0.
        if (allowed is not null) weights = graph.Node("Where", [allowed, weights, graph.Scalar("zero", 0, type)]);
        // [batch, heads, T, valueDim] → [batch, T, heads·valueDim], then the output projection.
        string merged = graph.Node("Reshape", [graph.Node("Transpose", [graph.Node("MatMul", [weights, v])], ("perm", new[] { 0, 2, 1, 3 })),
            graph.Constant($"{prefix}merged_shape", -1, time, layer.NumHeads * layer.ValueDim)]);
        var kernel = layer.OutputKernel!;
        string y = graph.Node("MatMul", [merged, graph.Constant($"{prefix}attention_output/kernel", kernel.Reshape(kernel.Shape[0] * kernel.Shape[1], kernel.Shape[2]))]);
        return layer.OutputBias is null ? y : graph.Node("Add", [y, graph.Constant($"{prefix}attention_output/bias", layer.OutputBias)]);
    }

    // One projection [batch, T, features]·[features, heads·dim] + bias, split into heads: [batch, heads, T, dim].
    private static string Heads(OnnxGraph graph, string x, Variable kernel, Variable? bias, string name, int time)
    {
        int features = kernel.Shape[0], heads = kernel.Shape[1], dim = kernel.Shape[2];
        string y = graph.Node("MatMul", [x, graph.Constant($"{name}/kernel", kernel.Reshape(features, heads * dim))]);
        if (bias is not null) y = graph.Node("Add", [y, graph.Constant($"{name}/bias", bias.Reshape(heads * dim))]);
        y = graph.Node("Reshape", [y, graph.Constant($"{name}/shape", -1, time, heads, dim)]);
        return graph.Node("Transpose", [y], ("perm", new[] { 0, 2, 1, 3 }));
    }

    private static string TokenAndPositionEmbedding(TokenAndPositionEmbedding layer, string x, OnnxGraph graph)
    {
        if (layer.MaskZero) graph.SetOutputMask(EmbeddingExport.NonZero(x, graph));
        string tokens = graph.Node("Gather", [graph.Constant("token_embedding/embeddings", layer.TokenEmbeddings!), EmbeddingExport.Ids(x, graph)], ("axis", 0));
        // Positions 0 … T − 1 for the T steps the model was built for: the table's first T rows, a constant.
        var positions = layer.PositionEmbeddings!.SliceAxis(0, 0, layer.InputShape![0]);
        return graph.Node("Add", [tokens, graph.Constant("position_embedding/embeddings", positions)]);
    }

    // keras_hub's blocks: each part is x + part(norm(x)) (normalize_first) or norm(x + part(x)); dropout is the
    // identity. The incoming mask hides padded keys only ([batch, 1, T]), as the block's own call merges it.
    private static string Block(TransformerBlock block, string x, bool causal, OnnxGraph graph)
    {
        var parts = block.Parts!;
        if (parts.CrossAttention is not null)
            throw new ArgumentException($"ExportOnnx: layer '{block.Name}' (TransformerDecoder) has cross-attention, which reads an encoder sequence, "
                + "a second input that a Sequential's graph does not have; decoders without it (GPT's blocks) export.", nameof(block));
        string? keys = graph.InputMask is { } mask ? Unsqueeze(graph, mask, 1) : null;
        x = Residual(block, parts.SelfAttentionNorm, x, h => Attention(parts.SelfAttention, "self_attention/", h, keys, causal, graph), graph);
        return Residual(block, parts.FeedforwardNorm, x, h => graph.Layer(parts.Output, graph.Layer(parts.Intermediate, h)), graph);
    }

    private static string Residual(TransformerBlock block, LayerNormalization norm, string x, Func<string, string> part, OnnxGraph graph)
    {
        string y = graph.Node("Add", [part(block.NormalizeFirst ? graph.Layer(norm, x) : x), x]);
        return block.NormalizeFirst ? y : graph.Layer(norm, y);
    }

    private static string Unsqueeze(OnnxGraph graph, string x, int axis) => graph.Node("Unsqueeze", [x, graph.Constant("axes", axis)]);
}
