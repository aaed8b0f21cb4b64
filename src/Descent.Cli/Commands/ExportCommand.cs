using System.CommandLine;
using System.Globalization;
using Descent.Nn.Models;
using Descent.Onnx;

namespace Descent.Cli.Commands;

/// <summary><c>descent export</c>: write a model saved by <c>descent train</c> (or <c>Model.Save</c>) as an ONNX file.</summary>
internal static class ExportCommand
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    internal static readonly string[] Formats = ["onnx"];

    public static Command Create(CliContext cli)
    {
        var model = new Option<string>("--model") { Description = "A folder written by descent train or Model.Save (model.json, model.safetensors)", Required = true, HelpName = "DIR" };
        var format = new Option<string>("--format") { Description = "The file format to write", DefaultValueFactory = _ => "onnx", HelpName = string.Join("|", Formats) };
        var opset = new Option<int>("--opset") { Description = $"The ONNX operator set version, {OnnxExport.MinOpset} to {OnnxExport.MaxOpset}", DefaultValueFactory = _ => OnnxExport.DefaultOpset, HelpName = "N" };
        var output = new Option<string?>("--out") { Description = "The file to write (default DIR/model.onnx)", HelpName = "FILE" };
        var command = new Command("export", "Export a saved model to ONNX, for ONNX Runtime and other runtimes") { model, format, opset, output };
        command.SetAction(parseResult =>
        {
            var result = Run(parseResult.GetValue(model)!, parseResult.GetValue(format)!, parseResult.GetValue(opset), parseResult.GetValue(output));
            if (cli.IsJson(parseResult)) cli.WriteJson(result);
            else
                cli.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Wrote {result.Out} (ONNX opset {result.Opset}, {result.Bytes:N0} bytes): input \"input\" {Shape(result.InputShape)} {result.InputType} -> output \"output\" {Shape(result.OutputShape)}."));
            return 0;
        });
        return command;
    }

    /// <summary>The <c>--json</c> document; docs/cli.md describes each field.</summary>
    internal sealed record Json(string Model, string Format, int Opset, string Out, long Bytes, IReadOnlyList<int> InputShape, string InputType, IReadOnlyList<int> OutputShape);

    /// <summary>Checks the options, loads the model and writes the file.</summary>
    internal static Json Run(string modelFolder, string format, int opset, string? output)
    {
        if (!Formats.Contains(format.ToLowerInvariant()))
            throw new ArgumentException($"--format '{format}': unknown format; the formats are: {string.Join(", ", Formats)}.");
        if (opset is < OnnxExport.MinOpset or > OnnxExport.MaxOpset)
            throw new ArgumentException($"--opset {opset}: ONNX export writes operator sets {OnnxExport.MinOpset} to {OnnxExport.MaxOpset} (default {OnnxExport.DefaultOpset}).");
        if (!Directory.Exists(modelFolder))
            throw new DirectoryNotFoundException($"--model '{modelFolder}': the folder does not exist; give a folder written by descent train.");
        var loaded = Model.Load(modelFolder);
        string path = output ?? Path.Combine(modelFolder, "model.onnx");
        loaded.ExportOnnx(path, opset);

        var inputShape = loaded.InputShape!;
        var first = loaded.Layers[0];
        string inputType = OnnxExporters.TakesIds(first) ? "int64" : first.DType == DType.Float64 ? "double" : "float";
        var outputShape = loaded.Layers.Aggregate(inputShape, (shape, layer) => layer.ComputeOutputShape(shape));
        return new Json(modelFolder, "onnx", opset, path, new FileInfo(path).Length, inputShape, inputType, outputShape);
    }

    private static string Shape(IEnumerable<int> shape) => $"[{string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)).Prepend("batch"))}]";
}
