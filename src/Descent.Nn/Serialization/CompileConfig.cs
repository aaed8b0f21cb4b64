using System.Text.Json;
using System.Text.Json.Nodes;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Optimizers;

namespace Descent.Nn.Serialization;

/// <summary>
/// The "compile" entry of model.json, as Keras's compile_config: the optimizer (with its schedule and clipping), the
/// loss and the metrics, each a class name and its constructor arguments. Only the built-in classes are known; for a
/// model compiled with anything else <see cref="TryWrite"/> says which part, and the model is saved without it.
/// Both directions live here, side by side, so that a field added to one is seen in the other.
/// </summary>
internal static class CompileConfig
{
    /// <summary>The entry for <paramref name="optimizer"/>, <paramref name="loss"/> and <paramref name="metrics"/>, or null and the part that is not built in.</summary>
    public static JsonObject? TryWrite(Optimizer optimizer, Loss loss, IReadOnlyList<Metric> metrics, out string? unsupported)
    {
        unsupported = null;
        var optimizerNode = Write(optimizer);
        if (optimizerNode is null) { unsupported = $"optimizer {optimizer.GetType().Name}"; return null; }
        if (optimizer.Schedule is { } schedule && Write(schedule) is null) { unsupported = $"learning-rate schedule {optimizer.Schedule.GetType().Name}"; return null; }
        var lossNode = Write(loss);
        if (lossNode is null) { unsupported = $"loss {loss.GetType().Name}"; return null; }
        var metricNodes = new JsonArray();
        foreach (var metric in metrics)
        {
            if (Write(metric) is not { } node) { unsupported = $"metric {metric.GetType().Name}"; return null; }
            metricNodes.Add(node);
        }
        return new JsonObject { ["optimizer"] = optimizerNode, ["loss"] = lossNode, ["metrics"] = metricNodes };
    }

    /// <summary>Rebuilds the three from an entry <see cref="TryWrite"/> made; anything else throws <see cref="InvalidDataException"/> naming <paramref name="path"/>.</summary>
    public static (Optimizer Optimizer, Loss Loss, Metric[] Metrics) Read(JsonElement compile, string path)
    {
        try
        {
            var optimizer = ReadOptimizer(Object(compile, "optimizer"));
            var loss = ReadLoss(Object(compile, "loss"));
            var metrics = compile.GetProperty("metrics").EnumerateArray().Select(ReadMetric).ToArray();
            return (optimizer, loss, metrics);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}': the \"compile\" entry cannot be read back: {e.Message}", e);
        }
    }

    private static JsonObject Entry(object value, params (string Key, JsonNode? Value)[] config)
    {
        var node = new JsonObject();
        foreach (var (key, v) in config) node[key] = v;
        return new JsonObject { ["class_name"] = value.GetType().Name, ["config"] = node };
    }

    private static JsonObject? Write(Optimizer o)
    {
        JsonObject? entry = o switch
        {
            SGD s => Entry(s, ("momentum", s.Momentum), ("nesterov", s.Nesterov), ("weight_decay", s.WeightDecay)),
            // AdamW before Adam: it derives from it.
            Adam a when a.GetType() == typeof(Adam) || a.GetType() == typeof(AdamW) =>
                Entry(a, ("beta_1", a.Beta1), ("beta_2", a.Beta2), ("epsilon", a.Epsilon), ("amsgrad", a.Amsgrad), ("weight_decay", a.WeightDecay)),
            RMSprop r => Entry(r, ("rho", r.Rho), ("momentum", r.Momentum), ("epsilon", r.Epsilon), ("centered", r.Centered)),
            Adagrad g => Entry(g, ("initial_accumulator_value", g.InitialAccumulatorValue), ("epsilon", g.Epsilon)),
            _ => null,
        };
        if (entry is null) return null;
        var config = entry["config"]!.AsObject();
        config["learning_rate"] = o.LearningRate;
        config["clipvalue"] = o.ClipValue;
        config["clipnorm"] = o.ClipNorm;
        config["global_clipnorm"] = o.GlobalClipNorm;
        config["schedule"] = o.Schedule is { } schedule ? Write(schedule) : null;
        return entry;
    }

    private static JsonObject? Write(LearningRateSchedule s) => s switch
    {
        ExponentialDecay e => Entry(e, ("initial_learning_rate", e.InitialLearningRate), ("decay_steps", e.DecaySteps), ("decay_rate", e.DecayRate), ("staircase", e.Staircase)),
        CosineDecay c => Entry(c, ("initial_learning_rate", c.InitialLearningRate), ("decay_steps", c.DecaySteps), ("alpha", c.Alpha),
            ("warmup_target", c.WarmupTarget), ("warmup_steps", c.WarmupSteps)),
        PiecewiseConstantDecay p => Entry(p, ("boundaries", new JsonArray(p.Boundaries.Select(b => (JsonNode)b).ToArray())),
            ("values", new JsonArray(p.Values.Select(v => (JsonNode)v).ToArray()))),
        StepDecay d => Entry(d, ("initial_learning_rate", d.InitialLearningRate), ("step_size", d.StepSize), ("gamma", d.Gamma)),
        _ => null,
    };

    private static JsonObject? Write(Loss l)
    {
        JsonObject? entry = l switch
        {
            Losses.MeanSquaredError or Losses.MeanAbsoluteError or KLDivergence => Entry(l),
            Huber h => Entry(h, ("delta", h.Delta)),
            BinaryCrossentropy b => Entry(b, ("from_logits", b.FromLogits), ("label_smoothing", b.LabelSmoothing)),
            CategoricalCrossentropy c => Entry(c, ("from_logits", c.FromLogits), ("label_smoothing", c.LabelSmoothing), ("axis", c.Axis)),
            SparseCategoricalCrossentropy s => Entry(s, ("from_logits", s.FromLogits)),
            _ => null,
        };
        if (entry is null) return null;
        var config = entry["config"]!.AsObject();
        config["reduction"] = l.Reduction.ToString();
        config["name"] = l.Name;
        return entry;
    }

    private static JsonObject? Write(Metric m)
    {
        // Exact types only: Mean and MeanMetricWrapper are open for subclasses whose function no config can name.
        JsonObject? entry = m switch
        {
            Accuracy or CategoricalAccuracy or SparseCategoricalAccuracy or Metrics.MeanSquaredError or Metrics.MeanAbsoluteError => Entry(m),
            Mean when m.GetType() == typeof(Mean) => Entry(m),
            BinaryAccuracy b => Entry(b, ("threshold", b.Threshold)),
            TopKCategoricalAccuracy t => Entry(t, ("k", t.K)),
            SparseTopKCategoricalAccuracy t => Entry(t, ("k", t.K)),
            Precision p => Entry(p, ("threshold", p.Threshold)),
            Recall r => Entry(r, ("threshold", r.Threshold)),
            AUC a => Entry(a, ("num_thresholds", a.Thresholds.Count)),
            _ => null,
        };
        if (entry is not null) entry["config"]!.AsObject()["name"] = m.Name;
        return entry;
    }

    private static Optimizer ReadOptimizer(JsonElement entry)
    {
        var (name, c) = ClassAndConfig(entry);
        Optimizer o = name switch
        {
            nameof(SGD) => new SGD(Double(c, "learning_rate"), Double(c, "momentum"), Bool(c, "nesterov"), Double(c, "weight_decay")),
            nameof(Adam) => new Adam(Double(c, "learning_rate"), Double(c, "beta_1"), Double(c, "beta_2"), Double(c, "epsilon"), Bool(c, "amsgrad"), Double(c, "weight_decay")),
            nameof(AdamW) => new AdamW(Double(c, "learning_rate"), Double(c, "beta_1"), Double(c, "beta_2"), Double(c, "epsilon"), Bool(c, "amsgrad"), Double(c, "weight_decay")),
            nameof(RMSprop) => new RMSprop(Double(c, "learning_rate"), Double(c, "rho"), Double(c, "momentum"), Double(c, "epsilon"), Bool(c, "centered")),
            nameof(Adagrad) => new Adagrad(Double(c, "learning_rate"), Double(c, "initial_accumulator_value"), Double(c, "epsilon")),
            _ => throw new ArgumentException($"unknown optimizer '{name}'"),
        };
        // At most one is set: the setters refuse a second.
        if (NullableDouble(c, "clipvalue") is { } value) o.ClipValue = value;
        if (NullableDouble(c, "clipnorm") is { } norm) o.ClipNorm = norm;
        if (NullableDouble(c, "global_clipnorm") is { } global) o.GlobalClipNorm = global;
        if (c.GetProperty("schedule") is { ValueKind: JsonValueKind.Object } schedule) o.Schedule = ReadSchedule(schedule);
        return o;
    }

    private static LearningRateSchedule ReadSchedule(JsonElement entry)
    {
        var (name, c) = ClassAndConfig(entry);
        return name switch
        {
            nameof(ExponentialDecay) => new ExponentialDecay(Double(c, "initial_learning_rate"), Long(c, "decay_steps"), Double(c, "decay_rate"), Bool(c, "staircase")),
            nameof(CosineDecay) => new CosineDecay(Double(c, "initial_learning_rate"), Long(c, "decay_steps"), Double(c, "alpha"),
                NullableDouble(c, "warmup_target"), Long(c, "warmup_steps")),
            nameof(PiecewiseConstantDecay) => new PiecewiseConstantDecay(
                c.GetProperty("boundaries").EnumerateArray().Select(b => b.GetInt64()).ToArray(),
                c.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray()),
            nameof(StepDecay) => new StepDecay(Double(c, "initial_learning_rate"), Long(c, "step_size"), Double(c, "gamma")),
            _ => throw new ArgumentException($"unknown learning-rate schedule '{name}'"),
        };
    }

    private static Loss ReadLoss(JsonElement entry)
    {
        var (name, c) = ClassAndConfig(entry);
        var reduction = Enum.Parse<Reduction>(String(c, "reduction"));
        string lossName = String(c, "name");
        return name switch
        {
            nameof(Losses.MeanSquaredError) => new Losses.MeanSquaredError(reduction, lossName),
            nameof(Losses.MeanAbsoluteError) => new Losses.MeanAbsoluteError(reduction, lossName),
            nameof(KLDivergence) => new KLDivergence(reduction, lossName),
            nameof(Huber) => new Huber(Double(c, "delta"), reduction, lossName),
            nameof(BinaryCrossentropy) => new BinaryCrossentropy(Bool(c, "from_logits"), Double(c, "label_smoothing"), reduction, lossName),
            nameof(CategoricalCrossentropy) => new CategoricalCrossentropy(Bool(c, "from_logits"), Double(c, "label_smoothing"), Int(c, "axis"), reduction, lossName),
            nameof(SparseCategoricalCrossentropy) => new SparseCategoricalCrossentropy(Bool(c, "from_logits"), reduction, lossName),
            _ => throw new ArgumentException($"unknown loss '{name}'"),
        };
    }

    private static Metric ReadMetric(JsonElement entry)
    {
        var (name, c) = ClassAndConfig(entry);
        string metricName = String(c, "name");
        return name switch
        {
            nameof(Accuracy) => new Accuracy(metricName),
            nameof(CategoricalAccuracy) => new CategoricalAccuracy(metricName),
            nameof(SparseCategoricalAccuracy) => new SparseCategoricalAccuracy(metricName),
            nameof(Metrics.MeanSquaredError) => new Metrics.MeanSquaredError(metricName),
            nameof(Metrics.MeanAbsoluteError) => new Metrics.MeanAbsoluteError(metricName),
            nameof(Mean) => new Mean(metricName),
            nameof(BinaryAccuracy) => new BinaryAccuracy(Double(c, "threshold"), metricName),
            nameof(TopKCategoricalAccuracy) => new TopKCategoricalAccuracy(Int(c, "k"), metricName),
            nameof(SparseTopKCategoricalAccuracy) => new SparseTopKCategoricalAccuracy(Int(c, "k"), metricName),
            nameof(Precision) => new Precision(Double(c, "threshold"), metricName),
            nameof(Recall) => new Recall(Double(c, "threshold"), metricName),
            nameof(AUC) => new AUC(Int(c, "num_thresholds"), metricName),
            _ => throw new ArgumentException($"unknown metric '{name}'"),
        };
    }

    private static (string ClassName, JsonElement Config) ClassAndConfig(JsonElement entry) =>
        (String(entry, "class_name"), Object(entry, "config"));

    private static JsonElement Object(JsonElement e, string key) =>
        e.GetProperty(key) is { ValueKind: JsonValueKind.Object } v ? v : throw new FormatException($"\"{key}\" is not an object");

    private static string String(JsonElement e, string key) =>
        e.GetProperty(key) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new FormatException($"\"{key}\" is not a string");

    private static double Double(JsonElement e, string key) => e.GetProperty(key).GetDouble();

    private static double? NullableDouble(JsonElement e, string key) =>
        e.GetProperty(key) is { ValueKind: JsonValueKind.Null } ? null : e.GetProperty(key).GetDouble();

    private static long Long(JsonElement e, string key) => e.GetProperty(key).GetInt64();

    private static int Int(JsonElement e, string key) => e.GetProperty(key).GetInt32();

    private static bool Bool(JsonElement e, string key) => e.GetProperty(key).GetBoolean();
}
