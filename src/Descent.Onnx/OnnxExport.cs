using System.Reflection;
using System.Text.Json;
using Descent.Nn.Models;
using Descent.Nn.Serialization;
using Descent.Onnx.Proto;
using Google.Protobuf;

namespace Descent.Onnx;

/// <summary>
/// Writes a built model as an ONNX file that ONNX Runtime and other runtimes load: <c>model.ExportOnnx("model.onnx")</c>.
/// The graph takes one input [batch, ..input shape] (float, or int64 ids when the model starts with an embedding),
/// named "input", and gives one output named "output"; it computes what <c>Predict</c> computes (dropout off,
/// batch normalization with its moving statistics). Model.Metadata goes into the file's metadata as JSON strings.
/// </summary>
public static class OnnxExport
{
    /// <summary>The operator set written unless another is asked for (ONNX 1.12, read by every current runtime).</summary>
    public const int DefaultOpset = 17;

    /// <summary>The oldest operator set the exporter writes: 13 is where Softmax takes one axis, as Descent's does.</summary>
    public const int MinOpset = 13;

    /// <summary>The newest operator set the exporter writes (ONNX 1.18).</summary>
    public const int MaxOpset = 23;

    /// <summary>The producer name written in every file.</summary>
    public const string ProducerName = "Descent";

    /// <summary>
    /// Writes <paramref name="model"/> to the ONNX file <paramref name="path"/> (atomically: a temporary file, then a
    /// rename). Throws ArgumentException for an opset outside [<see cref="MinOpset"/>, <see cref="MaxOpset"/>] or a
    /// layer or model class without an exporter (naming it), and InvalidOperationException for a model not built yet.
    /// </summary>
    public static void ExportOnnx(this Model model, string path, int opset = DefaultOpset)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = model.ToOnnx(opset);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX file <see cref="ExportOnnx"/> would write, as bytes (ONNX Runtime's InferenceSession takes them as they are).</summary>
    public static byte[] ToOnnx(this Model model, int opset = DefaultOpset) => Build(model, opset).ToByteArray();

    internal static ModelProto Build(Model model, int opset)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (opset < MinOpset || opset > MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(opset), $"ExportOnnx: opset {opset} is not supported; choose {MinOpset} to {MaxOpset} (default {DefaultOpset}).");
        if (!model.Built)
            throw new InvalidOperationException($"ExportOnnx: model '{model.Name}' is not built; call Build(inputShape), pass inputShape, or run it on data first.");
        var graph = new OnnxGraph(model.Name, opset);
        OnnxExporters.ExportModel(model, graph);
        var proto = new ModelProto
        {
            IrVersion = IrVersion(opset),
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
            Graph = graph.Proto,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = opset } },
        };
        foreach (var (key, value) in model.Metadata)
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = JsonSerializer.Serialize(value) });
        return proto;
    }

    // The IR version ONNX released with each operator set (onnx/helper.py's VERSION_TABLE): a runtime that knows the
    // operator set reads that IR, while a newer IR could be refused by a runtime that would run every node.
    private static long IrVersion(int opset) => opset switch
    {
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        <= 22 => 10,
        _ => 11,
    };
}
