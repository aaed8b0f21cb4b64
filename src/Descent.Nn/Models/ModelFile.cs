using System.Text.Json;
using System.Text.Json.Nodes;
using Descent.Nn.Layers;

namespace Descent.Nn.Models;

/// <summary>Writes and reads model.json, the architecture half of a saved model.</summary>
internal static class ModelFile
{
    public const string Format = "descent.model";
    public const int Version = 1;
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>model.json for <paramref name="model"/>, with <paramref name="compile"/> (from <see cref="Serialization.CompileConfig"/>) when it was saved compiled.</summary>
    public static string Write(Model model, JsonObject? compile = null)
    {
        var config = JsonSerializer.SerializeToNode(model.GetConfig(), Options)!.AsObject();
        if (model is Sequential)
            config["layers"] = new JsonArray(model.Layers.Select(l => (JsonNode)new JsonObject
            {
                ["class_name"] = l.GetType().Name,
                ["config"] = JsonSerializer.SerializeToNode(l.GetConfig(), Options),
            }).ToArray());
        var root = new JsonObject
        {
            ["format"] = Format,
            ["format_version"] = Version,
            ["class_name"] = model.GetType().Name,
            ["config"] = config,
            ["weights"] = Model.WeightsFile,
            ["metadata"] = JsonSerializer.SerializeToNode(model.Metadata, Options),
        };
        if (compile is not null) root["compile"] = compile;
        return root.ToJsonString(Options);
    }

    /// <summary>The model described by model.json at <paramref name="path"/>, and its "compile" entry when it has one.</summary>
    public static (Model Model, JsonElement? Compile) Read(string path, Func<string, IReadOnlyDictionary<string, JsonElement>, Layer> layerFactory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw Error(path, $"not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || String(root, "format", path) != Format)
                throw Error(path, $"not a Descent model file (\"format\" must be \"{Format}\")");
            if (!root.TryGetProperty("format_version", out var version) || !version.TryGetInt32(out int v) || v != Version)
                throw Error(path, $"unsupported \"format_version\"; this library reads version {Version}");
            string className = String(root, "class_name", path);
            if (className != nameof(Sequential))
                throw Error(path, $"a '{className}' cannot be rebuilt from JSON; construct it in code and call LoadWeights");
            var config = Property(root, "config", JsonValueKind.Object, path);
            string name = String(config, "name", path);
            if (!Property(config, "seed", JsonValueKind.Number, path).TryGetInt64(out long seed))
                throw Error(path, "\"config.seed\" is not an integer");
            int[] inputShape = Property(config, "input_shape", JsonValueKind.Array, path).EnumerateArray()
                .Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int n) && n >= 0 ? n : throw Error(path, "\"config.input_shape\" must hold non-negative integers"))
                .ToArray();

            var layers = new List<Layer>();
            int index = 0;
            foreach (var entry in Property(config, "layers", JsonValueKind.Array, path).EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object) throw Error(path, $"layer {index} is not an object");
                string layerClass = String(entry, "class_name", path);
                var layerConfig = Property(entry, "config", JsonValueKind.Object, path).EnumerateObject()
                    .ToDictionary(p => p.Name, p => p.Value.Clone());
                try
                {
                    layers.Add(layerFactory(layerClass, layerConfig));
                }
                catch (Exception e) when (e is ArgumentException or KeyNotFoundException or InvalidOperationException or FormatException or JsonException)
                {
                    throw new InvalidDataException($"'{path}': layer {index} ('{layerClass}') cannot be created: {e.Message}", e);
                }
                index++;
            }
            Sequential model;
            try
            {
                model = new Sequential(layers, inputShape, seed, name);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"'{path}': the layers do not fit together: {e.Message}", e);
            }
            if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
                foreach (var item in metadata.EnumerateObject()) model.Metadata[item.Name] = item.Value.Clone();
            JsonElement? compile = root.TryGetProperty("compile", out var c) && c.ValueKind == JsonValueKind.Object ? c.Clone() : null;
            return (model, compile);
        }
    }

    private static JsonElement Property(JsonElement obj, string name, JsonValueKind kind, string path) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw Error(path, $"\"{name}\" is missing or not a JSON {kind.ToString().ToLowerInvariant()}");

    private static string String(JsonElement obj, string name, string path) => Property(obj, name, JsonValueKind.String, path).GetString()!;

    private static InvalidDataException Error(string path, string problem) => new($"'{path}': {problem}.");
}
