using System.Text.Json;
using Descent.Nn.Initializers;

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
        var c = new Reader(className, config);
        string? name = c.String("name", null);
        Layer layer = className switch
        {
            nameof(Dense) => new Dense(c.Int("units"), c.String("activation", null), c.Bool("use_bias", true),
                c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"), name),
            nameof(Activation) => new Activation(c.String("activation", null) ?? throw c.Missing("activation"), name),
            nameof(Dropout) => new Dropout(c.Double("rate"), c.Long("seed"), name),
            nameof(Flatten) => new Flatten(name),
            nameof(Reshape) => new Reshape(c.Ints("target_shape"), name),
            nameof(BatchNormalization) => new BatchNormalization(c.Int("axis", -1), c.Double("momentum", 0.99), c.Double("epsilon", 1e-3),
                c.Bool("center", true), c.Bool("scale", true), name),
            nameof(LayerNormalization) => new LayerNormalization(c.Int("axis", -1), c.Double("epsilon", 1e-3), c.Bool("center", true), c.Bool("scale", true), name),
            nameof(Conv2D) => new Conv2D(c.Int("filters"), c.Pair("kernel_size"), c.PairOrNull("strides"), c.String("padding", "valid")!,
                c.PairOrNull("dilation_rate"), c.String("activation", null), c.Bool("use_bias", true),
                c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"), name),
            nameof(MaxPooling2D) => new MaxPooling2D(c.PairOrNull("pool_size") ?? (2, 2), c.PairOrNull("strides"), c.String("padding", "valid")!, name),
            nameof(AveragePooling2D) => new AveragePooling2D(c.PairOrNull("pool_size") ?? (2, 2), c.PairOrNull("strides"), c.String("padding", "valid")!, name),
            nameof(GlobalAveragePooling2D) => new GlobalAveragePooling2D(c.Bool("keepdims", false), name),
            nameof(Embedding) => new Embedding(c.Int("input_dim"), c.Int("output_dim"), c.Initializer("embeddings_initializer"), name, c.Bool("mask_zero", false)),
            nameof(MultiHeadAttention) => new MultiHeadAttention(c.Int("num_heads"), c.Int("key_dim"), c.IntOrNull("value_dim"), c.Double("dropout", 0),
                c.Bool("use_bias", true), c.IntOrNull("output_shape"), c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"), name, c.Long("seed")),
            nameof(TokenAndPositionEmbedding) => new TokenAndPositionEmbedding(c.Int("vocabulary_size"), c.Int("sequence_length"), c.Int("embedding_dim"),
                c.Initializer("embeddings_initializer"), c.Bool("mask_zero", false), name),
            nameof(TransformerEncoder) => new TransformerEncoder(c.Int("intermediate_dim"), c.Int("num_heads"), c.Double("dropout", 0),
                c.String("activation", "relu")!, c.Double("layer_norm_epsilon", 1e-5), c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"),
                c.Bool("normalize_first", false), name),
            nameof(TransformerDecoder) => new TransformerDecoder(c.Int("intermediate_dim"), c.Int("num_heads"), c.Double("dropout", 0),
                c.String("activation", "relu")!, c.Double("layer_norm_epsilon", 1e-5), c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"),
                c.Bool("normalize_first", false), name),
            nameof(Conv1D) => new Conv1D(c.Int("filters"), c.Single("kernel_size"), c.Single("strides", 1), c.String("padding", "valid")!,
                c.Single("dilation_rate", 1), c.String("activation", null), c.Bool("use_bias", true),
                c.Initializer("kernel_initializer"), c.Initializer("bias_initializer"), name),
            nameof(MaxPooling1D) => new MaxPooling1D(c.Single("pool_size", 2), c.SingleOrNull("strides"), c.String("padding", "valid")!, name),
            nameof(GlobalAveragePooling1D) => new GlobalAveragePooling1D(c.Bool("keepdims", false), name),
            nameof(Masking) => new Masking(c.Double("mask_value", 0), name),
            nameof(GlobalMaxPooling1D) => new GlobalMaxPooling1D(c.Bool("keepdims", false), name),
            nameof(SimpleRNN) => new SimpleRNN(c.Units(), c.String("activation", "tanh"), c.Bool("use_bias", true),
                c.Initializer("kernel_initializer"), c.Initializer("recurrent_initializer"), c.Initializer("bias_initializer"),
                c.Double("dropout", 0), c.Double("recurrent_dropout", 0), c.Long("seed"), c.Bool("return_sequences", false),
                c.Bool("return_state", false), c.Bool("go_backwards", false), c.Bool("zero_output_for_mask", false), name),
            nameof(LSTM) => new LSTM(c.Units(), c.String("activation", "tanh"), c.String("recurrent_activation", "sigmoid"),
                c.Bool("use_bias", true), c.Initializer("kernel_initializer"), c.Initializer("recurrent_initializer"),
                c.Initializer("bias_initializer"), c.Bool("unit_forget_bias", true), c.Double("dropout", 0), c.Double("recurrent_dropout", 0),
                c.Long("seed"), c.Bool("return_sequences", false), c.Bool("return_state", false), c.Bool("go_backwards", false),
                c.Bool("zero_output_for_mask", false), name),
            nameof(GRU) => new GRU(c.Units(), c.String("activation", "tanh"), c.String("recurrent_activation", "sigmoid"),
                c.Bool("use_bias", true), c.Initializer("kernel_initializer"), c.Initializer("recurrent_initializer"),
                c.Initializer("bias_initializer"), c.Double("dropout", 0), c.Double("recurrent_dropout", 0), c.Long("seed"),
                c.Bool("return_sequences", false), c.Bool("return_state", false), c.Bool("go_backwards", false), c.Bool("reset_after", true),
                c.Bool("zero_output_for_mask", false), name),
            nameof(Bidirectional) => new Bidirectional(c.Wrapped("layer") ?? throw c.Missing("layer"),
                config.ContainsKey("merge_mode") ? c.String("merge_mode", null) : "concat", c.Wrapped("backward_layer"), name),
            _ => throw new ArgumentException($"LayerFactory: unknown layer class '{className}'; known: {string.Join(", ", ClassNames)}."),
        };
        layer.DType = c.String("dtype", "float32") switch
        {
            "float32" => DType.Float32,
            "float64" => DType.Float64,
            var other => throw new ArgumentException($"LayerFactory: {className} config has dtype '{other}'; expected float32 or float64."),
        };
        return layer;
    }

    // Typed access to the config, with messages naming the class and key.
    private sealed class Reader(string className, IReadOnlyDictionary<string, JsonElement> config)
    {
        public ArgumentException Missing(string key) => new($"LayerFactory: {className} config lacks '{key}'.");

        private ArgumentException Bad(string key, JsonElement value, string expected) =>
            new($"LayerFactory: {className} config '{key}' should be {expected}, got {value.GetRawText()}.");

        private JsonElement? Get(string key) =>
            config.TryGetValue(key, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v : null;

        public int Int(string key, int? fallback = null) => Get(key) is { } v
            ? v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : throw Bad(key, v, "an integer")
            : fallback ?? throw Missing(key);

        public int? IntOrNull(string key) => Get(key) is null ? null : Int(key);

        public long? Long(string key) => Get(key) is { } v
            ? v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long l) ? l : throw Bad(key, v, "an integer")
            : null;

        public double Double(string key, double? fallback = null) => Get(key) is { } v
            ? v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Bad(key, v, "a number")
            : fallback ?? throw Missing(key);

        public bool Bool(string key, bool fallback) => Get(key) is { } v
            ? v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Bad(key, v, "true or false")
            : fallback;

        public string? String(string key, string? fallback) => Get(key) is { } v
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw Bad(key, v, "a string")
            : fallback;

        public int[] Ints(string key)
        {
            if (Get(key) is not { } v) throw Missing(key);
            if (v.ValueKind != JsonValueKind.Array) throw Bad(key, v, "an array of integers");
            return v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int i) ? i : throw Bad(key, v, "an array of integers")).ToArray();
        }

        /// <summary>An integer n (meaning (n, n)) or a two-element array, as Keras accepts.</summary>
        public (int, int)? PairOrNull(string key)
        {
            if (Get(key) is not { } v) return null;
            if (v.ValueKind == JsonValueKind.Number) return (Int(key), Int(key));
            var items = Ints(key);
            return items.Length == 2 ? (items[0], items[1]) : throw Bad(key, v, "an integer or [height, width]");
        }

        public (int, int) Pair(string key) => PairOrNull(key) ?? throw Missing(key);

        /// <summary>An integer n or a one-element array [n], as Keras writes the sizes of 1-D layers.</summary>
        public int? SingleOrNull(string key)
        {
            if (Get(key) is not { } v) return null;
            if (v.ValueKind == JsonValueKind.Number) return Int(key);
            var items = Ints(key);
            return items.Length == 1 ? items[0] : throw Bad(key, v, "an integer or [n]");
        }

        public int Single(string key, int? fallback = null) => SingleOrNull(key) ?? fallback ?? throw Missing(key);

        /// <summary>A recurrent layer's units, after refusing the Keras options this library does not implement.</summary>
        public int Units()
        {
            if (Bool("stateful", false)) throw new ArgumentException($"LayerFactory: {className} config has \"stateful\": true, which Descent does not support; pass states with CallWithState instead.");
            return Int("units");
        }

        /// <summary>A nested layer written as {"class_name", "config"} (Bidirectional's), or null when absent.</summary>
        public Recurrent? Wrapped(string key)
        {
            if (Get(key) is not { } v) return null;
            if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty("class_name", out var cls) || cls.ValueKind != JsonValueKind.String
                || !v.TryGetProperty("config", out var inner) || inner.ValueKind != JsonValueKind.Object)
                throw Bad(key, v, "an object with \"class_name\" and \"config\"");
            var layer = Serialization.LayerRegistry.Create(cls.GetString()!, inner.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()));
            return layer as Recurrent ?? throw Bad(key, v, "a recurrent layer (SimpleRNN, LSTM or GRU)");
        }

        public Initializer? Initializer(string key) => Get(key) is { } v ? Descent.Nn.Initializers.Initializers.Deserialize(v) : null;
    }
}
