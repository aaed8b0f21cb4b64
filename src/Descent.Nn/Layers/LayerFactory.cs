using System.Text.Json;

namespace Descent.Nn.Layers;

/// <summary>
/// Recreates a built-in layer from its class name and the config <see cref="Layer.GetConfig"/> wrote, after a
/// round trip through JSON. Missing keys take the constructor's defaults; "name" and "dtype" are restored.
/// </summary>
public static class LayerFactory
{
    /// <summary>The class names <see cref="FromConfig"/> knows.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        nameof(Dense), nameof(Activation), nameof(Dropout), nameof(Flatten), nameof(Reshape), nameof(BatchNormalization),
        nameof(LayerNormalization), nameof(Conv2D), nameof(MaxPooling2D), nameof(AveragePooling2D), nameof(GlobalAveragePooling2D), nameof(Embedding),
        nameof(Conv1D), nameof(MaxPooling1D), nameof(GlobalAveragePooling1D), nameof(GlobalMaxPooling1D),
        nameof(SimpleRNN), nameof(LSTM), nameof(GRU), nameof(Bidirectional), nameof(Masking),
        nameof(MultiHeadAttention), nameof(TokenAndPositionEmbedding), nameof(TransformerEncoder), nameof(TransformerDecoder),
    ];

    /// <summary>A new, unbuilt layer of <paramref name="className"/> configured by <paramref name="config"/>; throws ArgumentException for an unknown class or a missing or malformed key.</summary>
    public static Layer FromConfig(string className, IReadOnlyDictionary<string, JsonElement> config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        // Each layer reads its own keys, in its file beside the GetConfig that writes them.
        var c = new LayerConfig(className, config);
        Layer layer = className switch
        {
            nameof(Dense) => Dense.FromConfig(c),
            nameof(Activation) => Activation.FromConfig(c),
            nameof(Dropout) => Dropout.FromConfig(c),
            nameof(Flatten) => Flatten.FromConfig(c),
            nameof(Reshape) => Reshape.FromConfig(c),
            nameof(BatchNormalization) => BatchNormalization.FromConfig(c),
            nameof(LayerNormalization) => LayerNormalization.FromConfig(c),
            nameof(Conv2D) => Conv2D.FromConfig(c),
            nameof(MaxPooling2D) => MaxPooling2D.FromConfig(c),
            nameof(AveragePooling2D) => AveragePooling2D.FromConfig(c),
            nameof(GlobalAveragePooling2D) => GlobalAveragePooling2D.FromConfig(c),
            nameof(Embedding) => Embedding.FromConfig(c),
            nameof(Conv1D) => Conv1D.FromConfig(c),
            nameof(MaxPooling1D) => MaxPooling1D.FromConfig(c),
            nameof(GlobalAveragePooling1D) => GlobalAveragePooling1D.FromConfig(c),
            nameof(GlobalMaxPooling1D) => GlobalMaxPooling1D.FromConfig(c),
            nameof(Masking) => Masking.FromConfig(c),
            nameof(SimpleRNN) => SimpleRNN.FromConfig(c),
            nameof(LSTM) => LSTM.FromConfig(c),
            nameof(GRU) => GRU.FromConfig(c),
            nameof(Bidirectional) => Bidirectional.FromConfig(c),
            nameof(MultiHeadAttention) => MultiHeadAttention.FromConfig(c),
            nameof(TokenAndPositionEmbedding) => TokenAndPositionEmbedding.FromConfig(c),
            nameof(TransformerEncoder) => TransformerEncoder.FromConfig(c),
            nameof(TransformerDecoder) => TransformerDecoder.FromConfig(c),
            _ => throw new ArgumentException($"LayerFactory: unknown layer class '{className}'; known: {string.Join(", ", ClassNames)}."),
        };
        // The keys every layer writes (LayerArgs.Config): its name, read in its FromConfig, and its dtype.
        layer.DType = c.String("dtype", "float32") switch
        {
            "float32" => DType.Float32,
            "float64" => DType.Float64,
            var other => throw new ArgumentException($"LayerFactory: {className} config has dtype '{other}'; expected float32 or float64."),
        };
        return layer;
    }
}
