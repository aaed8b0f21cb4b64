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

    /// <summary>An optional integer: null when the key is absent or null.</summary>
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

    /// <summary>Whether the config has <paramref name="key"/> at all (a null value included).</summary>
    public bool Has(string key) => config.ContainsKey(key);

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

    public Initializer? Initializer(string key) => Get(key) is { } v ? Initializers.Initializers.Deserialize(v) : null;
}
