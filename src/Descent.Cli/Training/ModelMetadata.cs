using System.Text.Json;
using Descent.Nn.Data;
using Descent.Nn.Models;

namespace Descent.Cli.Training;

/// <summary>
/// What <c>descent predict</c> needs besides the weights, kept in <see cref="Model.Metadata"/> (so in model.json):
/// the data set, the target column, the feature columns in order, the class names by label, and the fitted scaler
/// (the library's <see cref="FeatureScaler"/> or <see cref="MinMaxScaler"/>, saved as its state).
/// The network's outputs are logits; predict turns them into probabilities with a softmax.
/// </summary>
internal sealed record ModelMetadata(string Dataset, string Target, IReadOnlyList<string> FeatureNames,
    IReadOnlyList<string> ClassNames, IScaler Scaler)
{
    private const string Outputs = "logits";

    // model.json's "scaler": {"kind": "standard", "mean": […], "std": […]} or {"kind": "minmax", "min": […], "range": […]},
    // the arrays named as the scalers name their state.
    private const string Standard = "standard";
    private const string MinMax = "minmax";

    /// <summary>Stores this in <paramref name="model"/>'s metadata, with <paramref name="extras"/> (how it was trained).</summary>
    public void WriteTo(Model model, IReadOnlyDictionary<string, object?> extras)
    {
        model.Metadata["dataset"] = Dataset;
        model.Metadata["target"] = Target;
        model.Metadata["feature_names"] = FeatureNames;
        model.Metadata["class_names"] = ClassNames;
        model.Metadata["scaler"] = Scaler switch
        {
            FeatureScaler s => new Dictionary<string, object> { ["kind"] = Standard, ["mean"] = s.Mean, ["std"] = s.Std },
            MinMaxScaler m => new Dictionary<string, object> { ["kind"] = MinMax, ["min"] = m.Min, ["range"] = m.Range },
            _ => throw new InvalidOperationException($"ModelMetadata: a {Scaler.GetType().Name} has no saved form."),
        };
        model.Metadata["outputs"] = Outputs;
        foreach (var (key, value) in extras) model.Metadata[key] = value;
    }

    /// <summary>Reads the metadata of a model loaded from <paramref name="path"/> (model.json); anything missing or malformed is an InvalidDataException.</summary>
    public static ModelMetadata ReadFrom(Model model, string path)
    {
        InvalidDataException Bad(string key, string expected) =>
            new($"'{path}': metadata \"{key}\" is missing or not {expected}; was this model saved by descent train?");
        JsonElement Get(string key, JsonValueKind kind, string expected) =>
            model.Metadata.TryGetValue(key, out var v) && v is JsonElement e && e.ValueKind == kind ? e : throw Bad(key, expected);
        string[] Strings(string key)
        {
            var e = Get(key, JsonValueKind.Array, "a list of names");
            return e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw Bad(key, "a list of names")).ToArray();
        }

        if (Get("outputs", JsonValueKind.String, "\"logits\"").GetString() != Outputs) throw Bad("outputs", "\"logits\"");
        var features = Strings("feature_names");
        var classes = Strings("class_names");
        if (features.Length == 0 || model.InputShape is not [int inputs] || inputs != features.Length)
            throw new InvalidDataException($"'{path}': the model takes inputs [{string.Join(", ", model.InputShape ?? [])}] but its metadata names {features.Length} feature columns.");
        var scaler = Get("scaler", JsonValueKind.Object, "an object");
        string kind = scaler.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
        if (kind is not (Standard or MinMax)) throw Bad("scaler.kind", $"\"{Standard}\" or \"{MinMax}\"");
        var (offsetName, scaleName) = kind == Standard ? ("mean", "std") : ("min", "range");
        float[] Floats(string key)
        {
            if (!scaler.TryGetProperty(key, out var e) || e.ValueKind != JsonValueKind.Array) throw Bad($"scaler.{key}", "a list of numbers");
            var values = e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number ? x.GetSingle() : throw Bad($"scaler.{key}", "a list of numbers")).ToArray();
            return values.Length == features.Length ? values : throw Bad($"scaler.{key}", $"{features.Length} numbers, one per feature");
        }
        float[] offset = Floats(offsetName), scale = Floats(scaleName);
        if (scale.Any(v => !(v > 0 && float.IsFinite(v)))) throw Bad($"scaler.{scaleName}", "positive finite numbers");
        IScaler fitted = kind == Standard ? new FeatureScaler(offset, scale) : new MinMaxScaler(offset, scale);
        return new ModelMetadata(Get("dataset", JsonValueKind.String, "a string").GetString()!,
            Get("target", JsonValueKind.String, "a string").GetString()!, features, classes, fitted);
    }
}
