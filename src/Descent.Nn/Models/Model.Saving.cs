using System.Text.Json;
using Descent.Nn.Layers;
using Descent.Nn.Serialization;

namespace Descent.Nn.Models;

public abstract partial class Model
{
    /// <summary>The architecture file that <see cref="Save"/> writes in the model folder.</summary>
    public const string ArchitectureFile = "model.json";

    /// <summary>The weights file that <see cref="Save"/> writes in the model folder.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>The optimizer's state (its moments and step counts) that <see cref="Save"/> writes for a compiled model.</summary>
    public const string OptimizerFile = "optimizer.safetensors";

    /// <summary>
    /// Writes the model to the folder <paramref name="directory"/>, as Keras's model.save: model.json (class, config of
    /// each layer, input shape, seed, <see cref="Metadata"/> and, for a compiled model, the compile settings) and
    /// model.safetensors (every variable, named "layer/weight"); for a compiled model also optimizer.safetensors, the
    /// optimizer's state, so that a loaded model resumes <c>Fit</c> where this one stopped. Compile settings are saved
    /// when the optimizer (and its schedule), the loss and every metric are built-in classes; with a custom one the
    /// model is saved uncompiled. Each file is written atomically.
    /// </summary>
    public void Save(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        RequireBuilt("Save");
        Directory.CreateDirectory(directory);
        SaveWeights(Path.Combine(directory, WeightsFile));
        var compile = Optimizer is { } optimizer && Loss is { } loss ? CompileConfig.TryWrite(optimizer, loss, _metrics, out _) : null;
        if (compile is not null)
            SafeTensors.Save(Path.Combine(directory, OptimizerFile), Optimizer!.GetState(Variables),
                new Dictionary<string, string> { ["format"] = "descent.optimizer", ["model"] = Name, ["optimizer"] = Optimizer.GetType().Name });
        AtomicFile.WriteAllText(Path.Combine(directory, ArchitectureFile), ModelFile.Write(this, compile));
    }

    /// <summary>
    /// Rebuilds a model saved by <see cref="Save"/>: each layer comes from <paramref name="layerFactory"/>
    /// (default <see cref="LayerRegistry.Create"/>) given its class name and config, then the weights are loaded and
    /// checked. A model saved compiled comes back compiled, with its optimizer's state when optimizer.safetensors is
    /// there. A bad or inconsistent folder throws <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static Model Load(string directory, Func<string, IReadOnlyDictionary<string, JsonElement>, Layer>? layerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string path = Path.Combine(directory, ArchitectureFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model.Load: '{path}' does not exist.", path);
        var (model, compile) = ModelFile.Read(path, layerFactory ?? LayerRegistry.Create);
        model.LoadWeights(Path.Combine(directory, WeightsFile));
        if (compile is { } entry)
        {
            var (optimizer, loss, metrics) = CompileConfig.Read(entry, path);
            model.Compile(optimizer, loss, metrics);
            string statePath = Path.Combine(directory, OptimizerFile);
            if (File.Exists(statePath))
            {
                try
                {
                    optimizer.SetState(SafeTensors.Load(statePath).Tensors, model.Variables);
                }
                catch (ArgumentException e)
                {
                    throw new InvalidDataException($"'{statePath}': does not fit model '{model.Name}': {e.Message}", e);
                }
            }
        }
        return model;
    }

    /// <summary>The architecture for model.json; subclasses that can be rebuilt add their own entries.</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name,
        ["seed"] = Seed,
        ["input_shape"] = InputShape,
    };

    /// <summary>Writes every variable to a safetensors file, named by layer ("dense_1/kernel"), in <see cref="Variables"/> order.</summary>
    public void SaveWeights(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        RequireBuilt("SaveWeights");
        var tensors = new Dictionary<string, Tensor>();
        foreach (var v in Variables)
            if (!tensors.TryAdd(v.Name, v))
                throw new InvalidOperationException($"{Name}.SaveWeights: two variables are named '{v.Name}'; give the layers distinct names.");
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "descent", ["model"] = Name });
    }

    /// <summary>
    /// Loads weights saved by <see cref="SaveWeights"/>. Tensors are matched by name when the file has every variable's
    /// name, otherwise by position (the file's order), as Keras does for a freshly built copy whose layers got other
    /// names. The count, each shape and each dtype must match, or <see cref="InvalidDataException"/> is thrown and no
    /// variable changes.
    /// </summary>
    public void LoadWeights(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        RequireBuilt("LoadWeights");
        var file = SafeTensors.Load(path).Tensors;
        var variables = Variables;
        if (file.Count != variables.Count)
            throw new InvalidDataException($"'{path}': holds {file.Count} tensors but model '{Name}' has {variables.Count} variables.");
        bool byName = variables.All(v => file.ContainsKey(v.Name));
        var tensors = byName ? variables.Select(v => file[v.Name]).ToArray() : file.Values.ToArray();
        var names = byName ? variables.Select(v => v.Name).ToArray() : file.Keys.ToArray();
        for (int i = 0; i < variables.Count; i++)
        {
            var (v, t) = (variables[i], tensors[i]);
            if (t.DType != v.DType || !t.Shape.SequenceEqual(v.Shape))
                throw new InvalidDataException(
                    $"'{path}': tensor '{names[i]}' is {t.DType.Name()} [{string.Join(", ", t.Shape)}] but variable '{v.Name}' is {v.DType.Name()} [{string.Join(", ", v.Shape)}].");
        }
        // A file has no device: each tensor goes to its variable's.
        for (int i = 0; i < variables.Count; i++) variables[i].Assign(tensors[i].To(variables[i].Device));
    }

    private void RequireBuilt(string op)
    {
        if (!Built)
            throw new InvalidOperationException($"{Name}.{op}: the model is not built; call Build(inputShape), pass inputShape, or run it on data first.");
    }
}
