namespace Descent.Nn.Layers;

// Argument checking and config building shared by the built-in layers, so every message starts the same way.
internal static class LayerArgs
{
    public static ArgumentException Error(Layer layer, string message) =>
        new($"{layer.GetType().Name} '{layer.Name}': {message}");

    public static string Format(IEnumerable<int> shape) => $"[{string.Join(",", shape)}]";

    public static Func<Tensor, Tensor> Activation(Layer layer, string? name) =>
        Activations.Find(name) ?? throw Error(layer, Activations.Unknown(name!));

    public static string Padding(Layer layer, string padding) =>
        padding?.ToLowerInvariant() is "valid" or "same"
            ? padding.ToLowerInvariant()
            : throw Error(layer, $"padding must be \"valid\" or \"same\", got '{padding}'.");

    public static (int H, int W) Positive(Layer layer, string what, (int H, int W) pair) =>
        pair.H > 0 && pair.W > 0 ? pair : throw Error(layer, $"{what} must be positive, got ({pair.H}, {pair.W}).");

    /// <summary>Keras's common keys (name, dtype) followed by the layer's own.</summary>
    public static IReadOnlyDictionary<string, object?> Config(Layer layer, IReadOnlyDictionary<string, object?> baseConfig, params (string Key, object? Value)[] items)
    {
        var config = new Dictionary<string, object?>(baseConfig) { ["dtype"] = layer.DType.Name() };
        foreach (var (key, value) in items) config[key] = value;
        return config;
    }

    /// <summary>Checks that a shape is [batch, steps, features] (or the same without the batch axis).</summary>
    public static void CheckSequence(Layer layer, IReadOnlyList<int> shape, bool batchIncluded)
    {
        if (shape.Count != (batchIncluded ? 3 : 2))
            throw Error(layer, $"expects input [batch, steps, features], got {(batchIncluded ? "" : "input shape ")}{Format(shape)}{(batchIncluded ? "" : " (batch axis excluded)")}.");
    }

    /// <summary>Checks that a shape is [batch, height, width, channels] (or the same without the batch axis).</summary>
    public static void CheckImage(Layer layer, IReadOnlyList<int> shape, bool batchIncluded)
    {
        if (shape.Count != (batchIncluded ? 4 : 3))
            throw Error(layer, $"expects input [batch, height, width, channels], got {(batchIncluded ? "" : "input shape ")}{Format(shape)}{(batchIncluded ? "" : " (batch axis excluded)")}.");
    }
}
