namespace Descent.Nn.Layers;

/// <summary>
/// The sublayers of a built <see cref="TransformerEncoder"/> or <see cref="TransformerDecoder"/> that compute (dropout
/// left out), for code that writes the block another way, as Descent.Onnx's exporter does.
/// </summary>
internal sealed record TransformerParts(MultiHeadAttention SelfAttention, LayerNormalization SelfAttentionNorm, MultiHeadAttention? CrossAttention,
    Dense Intermediate, Dense Output, LayerNormalization FeedforwardNorm);
