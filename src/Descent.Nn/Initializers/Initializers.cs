using System.Text.Json;

namespace Descent.Nn.Initializers;

/// <summary>
/// Looks initializers up by their Keras names ("glorot_uniform", "he_normal", "zeros", ...) and turns them
/// into JSON-friendly configs and back, for saving architectures.
/// </summary>
public static class Initializers
{
    private static readonly (string Name, Func<Initializer> Create)[] Registry =
    [
        ("glorot_uniform", () => new GlorotUniform()),
        ("glorot_normal", () => new GlorotNormal()),
        ("he_normal", () => new HeNormal()),
        ("he_uniform", () => new HeUniform()),
        ("lecun_normal", () => new LecunNormal()),
        ("lecun_uniform", () => new LecunUniform()),
        ("zeros", () => new Zeros()),
        ("ones", () => new Ones()),
        ("random_normal", () => new RandomNormal()),
        ("random_uniform", () => new RandomUniform()),
        ("orthogonal", () => new Orthogonal()),
    ];

    /// <summary>The names <see cref="Get"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = Registry.Select(r => r.Name).ToArray();

    /// <summary>
    /// A new initializer for a Keras name, in snake case or as the class name ("he_normal" or "HeNormal").
    /// Throws ArgumentException listing the known names.
    /// </summary>
    public static Initializer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Normalize(name);
        foreach (var (known, create) in Registry)
            if (Normalize(known) == key) return create();
        throw new ArgumentException($"Initializers.Get: unknown initializer '{name}'; known: {string.Join(", ", Names)}.");
    }

    /// <summary>
    /// A JSON-friendly description: the Keras name for the parameterless kinds, otherwise
    /// <c>{"class_name": ..., "config": {...}}</c> as Keras writes it.
    /// </summary>
    public static object Serialize(Initializer initializer)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        switch (initializer)
        {
            case Zeros: return "zeros";
            case Ones: return "ones";
            case Constant c: return Described("Constant", ("value", c.Value));
            case RandomNormal n: return Described("RandomNormal", ("mean", n.Mean), ("stddev", n.Stddev));
            case RandomUniform u: return Described("RandomUniform", ("minval", u.Min), ("maxval", u.Max));
            case Orthogonal o: return Described("Orthogonal", ("gain", o.Gain));
        }
        foreach (var (name, create) in Registry)
            if (create().GetType() == initializer.GetType()) return name;
        if (initializer.GetType() == typeof(VarianceScaling))
        {
            var v = (VarianceScaling)initializer;
            return Described("VarianceScaling", ("scale", v.Scale), ("mode", v.Mode), ("distribution", v.Distribution));
        }
        throw new ArgumentException($"Initializers.Serialize: {initializer.GetType().Name} is not a built-in initializer and cannot be saved.");
    }

    /// <summary>The inverse of <see cref="Serialize"/>: a name string or a class_name/config object.</summary>
    public static Initializer Deserialize(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.String) return Get(json.GetString()!);
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("class_name", out var className))
            throw new ArgumentException($"Initializers.Deserialize: expected a name or {{\"class_name\", \"config\"}}, got {json.GetRawText()}.");
        var config = json.TryGetProperty("config", out var c) ? c : default;
        double Number(string key, double fallback) =>
            config.ValueKind == JsonValueKind.Object && config.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;
        string Text(string key, string fallback) =>
            config.ValueKind == JsonValueKind.Object && config.TryGetProperty(key, out var v) ? v.GetString() ?? fallback : fallback;
        return className.GetString() switch
        {
            "Constant" => new Constant(Number("value", 0)),
            "RandomNormal" => new RandomNormal(Number("mean", 0), Number("stddev", 0.05)),
            "RandomUniform" => new RandomUniform(Number("minval", -0.05), Number("maxval", 0.05)),
            "Orthogonal" => new Orthogonal(Number("gain", 1)),
            "VarianceScaling" => new VarianceScaling(Number("scale", 1), Text("mode", "fan_in"), Text("distribution", "truncated_normal")),
            string other => Get(other),
            null => throw new ArgumentException("Initializers.Deserialize: class_name is null."),
        };
    }

    private static Dictionary<string, object?> Described(string className, params (string Key, object Value)[] config) => new()
    {
        ["class_name"] = className,
        ["config"] = config.ToDictionary(p => p.Key, p => (object?)p.Value),
    };

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
