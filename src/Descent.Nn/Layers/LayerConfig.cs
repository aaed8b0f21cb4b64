using System.Text.Json;
using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// A layer's saved config (what <see cref="Layer.GetConfig"/> wrote, after a round trip through JSON), read back
/// with types. Each built-in layer reads its own keys in its <c>FromConfig</c>, beside the <c>GetConfig</c> that
/// writes them; missing keys take the constructor's defaults, and a malformed one is an ArgumentException naming
/// the class and the key.
/// </summary>
internal sealed class LayerConfig(string className, IReadOnlyDictionary<string, JsonElement> config)
{
    /// <summary>The saved "name", or null (the layer then names itself).</summary>
    public string? Name => String("name", null);

    public ArgumentException Missing(string key) => new($"LayerFactory: {className} config lacks '{key}'.");

    private ArgumentException Bad(string key, JsonElement value, string expected) =>
        new($"LayerFactory: {className} config '{key}' should be {expected}, got {value.GetRawText()}.");

    private JsonElement? Get(string key) =>
        config.TryGetValue(key, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v : null;

    public int Int(string key, int? fallback = null) => Get(key) is { } v
        ? v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : throw Bad(key, v, "an integer")
        : fallback ?? throw Missing(key);

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

    public Initializer? Initializer(string key) => Get(key) is { } v ? Initializers.Initializers.Deserialize(v) : null;
}
