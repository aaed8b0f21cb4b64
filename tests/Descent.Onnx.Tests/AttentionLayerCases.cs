using Descent.Nn.Layers;

namespace Descent.Onnx.Tests;

/// <summary>The cases of the attention layers: MultiHeadAttention, TokenAndPositionEmbedding and the transformer blocks, with and without masks.</summary>
internal static partial class LayerCases
{
    private static void AddAttentionCases(Dictionary<string, Case> cases)
    {
        cases["multi head attention"] = new(() => [new MultiHeadAttention(2, 3)], [5, 4]);
        cases["multi head attention without bias value dim output shape"] = new(() =>
            [new MultiHeadAttention(3, 2, valueDim: 4, useBias: false, outputShape: 6)], [4, 5]);
        // Masked queries attend to nothing: zero weights, so their output is the output bias.
        cases["masking then multi head attention"] = new(() => [new Masking(), new MultiHeadAttention(2, 3)], [6, 4], InputKind.Padded);
        cases["embedding mask zero then multi head attention"] = new(() => [new Embedding(Vocabulary, 4, maskZero: true), new MultiHeadAttention(2, 2)], [6], InputKind.Ids);
        // A position table longer than the sequence: its first rows.
        cases["token and position embedding"] = new(() => [new TokenAndPositionEmbedding(Vocabulary, 8, 4)], [6], InputKind.Ids);
        cases["token and position embedding of float ids"] = new(() => [new Reshape([6]), new TokenAndPositionEmbedding(Vocabulary, 6, 3)], [6], InputKind.FloatIds);
        cases["transformer encoder"] = new(() => [new TransformerEncoder(8, 2)], [5, 4]);
        cases["transformer encoder normalize first gelu"] = new(() => [new TransformerEncoder(6, 2, activation: "gelu", normalizeFirst: true)], [5, 4]);
        cases["masking then transformer encoder"] = new(() => [new Masking(), new TransformerEncoder(8, 2)], [6, 4], InputKind.Padded);
        cases["token and position embedding mask zero then transformer encoder then lstm"] = new(() =>
            [new TokenAndPositionEmbedding(Vocabulary, 6, 4, maskZero: true), new TransformerEncoder(8, 2), new LSTM(3)], [6], InputKind.Ids);
        cases["transformer decoder"] = new(() => [new TransformerDecoder(8, 2)], [5, 4]);
        cases["transformer decoder normalize first"] = new(() => [new TransformerDecoder(8, 1, normalizeFirst: true)], [5, 4]);
        cases["token and position embedding mask zero then transformer decoder"] = new(() =>
            [new TokenAndPositionEmbedding(Vocabulary, 6, 4, maskZero: true), new TransformerDecoder(8, 2)], [6], InputKind.Ids);
    }
}
