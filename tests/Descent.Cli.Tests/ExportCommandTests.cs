using Descent.Cli.Training;
using Descent.Nn.Data;
using Descent.Nn.Models;
using Microsoft.ML.OnnxRuntime;

namespace Descent.Cli.Tests;

[Collection(TrainingCollection.Name)]
public class ExportCommandTests(DefaultTrainRun run)
{
    [Fact]
    public void Exports_the_trained_model_and_onnx_runtime_gives_its_logits()
    {
        using var folder = new TempFolder();
        string file = folder.File("digits.onnx");

        var json = CliRun.Json("export", "--model", run.Out, "--format", "onnx", "--out", file);

        Assert.Equal(run.Out, json.GetProperty("model").GetString());
        Assert.Equal("onnx", json.GetProperty("format").GetString());
        Assert.Equal(17, json.GetProperty("opset").GetInt32());
        Assert.Equal(file, json.GetProperty("out").GetString());
        Assert.Equal(new FileInfo(file).Length, json.GetProperty("bytes").GetInt64());
        Assert.Equal([64], json.GetProperty("input_shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal("float", json.GetProperty("input_type").GetString());
        Assert.Equal([10], json.GetProperty("output_shape").EnumerateArray().Select(d => d.GetInt32()));
        // The rows predict reads, scaled as training scaled them (digits: x / 16).
        var digits = Datasets.Digits();
        var x = Tensor.FromArray(digits.Features.AsSpan(0, 50 * 64).ToArray(), 50, 64) / 16.0;
        AssertRuntimeMatches(Model.Load(run.Out).Predict(x), file, x);
    }

    [Fact]
    public void Without_out_the_file_goes_into_the_model_folder_and_text_output_says_so()
    {
        using var folder = new TempFolder();
        string modelFolder = folder.File("cnn");
        var model = ModelSpec.Parse("cnn:4,6").Build(features: 64, classes: 10, seed: 1, dropout: 0);
        model.Save(modelFolder);

        var result = CliRun.Of("export", "--model", modelFolder, "--opset", "13");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Err);
        string file = Path.Combine(modelFolder, "model.onnx");
        Assert.Equal($"Wrote {file} (ONNX opset 13, {new FileInfo(file).Length:N0} bytes): input \"input\" [batch, 64] float -> output \"output\" [batch, 10].", result.Out.Trim());
        var x = Tensor.RandomUniform([5, 64], new Generator(2));
        AssertRuntimeMatches(model.Predict(x), file, x);
    }

    [Fact]
    public void A_missing_model_folder_is_one_line_naming_it()
    {
        AssertError(CliRun.Of("export", "--model", "no/such/folder"), "--model 'no/such/folder': the folder does not exist");
    }

    [Fact]
    public void A_folder_without_a_model_is_one_line_naming_the_file()
    {
        using var folder = new TempFolder();
        AssertError(CliRun.Of("export", "--model", folder.Path), "model.json");
    }

    [Fact]
    public void An_unknown_format_is_one_line_listing_the_formats()
    {
        AssertError(CliRun.Of("export", "--model", run.Out, "--format", "tflite"), "--format 'tflite': unknown format; the formats are: onnx.");
    }

    [Theory]
    [InlineData("12")]
    [InlineData("24")]
    [InlineData("-1")]
    public void An_opset_outside_the_range_is_one_line_with_the_range(string opset)
    {
        AssertError(CliRun.Of("export", "--model", run.Out, "--opset", opset), $"--opset {opset}: ONNX export writes operator sets 13 to 23 (default 17).");
    }

    [Fact]
    public void An_opset_that_is_not_a_number_is_a_command_line_error()
    {
        AssertError(CliRun.Of("export", "--model", run.Out, "--opset", "latest"), "latest");
    }

    [Fact]
    public void The_model_option_is_required()
    {
        AssertError(CliRun.Of("export", "--format", "onnx"), "--model");
    }

    private static void AssertRuntimeMatches(Tensor expected, string file, Tensor x)
    {
        using var session = new InferenceSession(file);
        using var input = OrtValue.CreateTensorValueFromMemory(x.ToArray<float>(), x.Shape.Select(d => (long)d).ToArray());
        using var options = new RunOptions();
        using var outputs = session.Run(options, new Dictionary<string, OrtValue> { ["input"] = input }, ["output"]);
        Assert.Equal(expected.Shape.Select(d => (long)d), outputs[0].GetTensorTypeAndShape().Shape);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var want = expected.ToArray<float>();
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(want[i])), $"element {i}: Descent {want[i]}, ONNX Runtime {actual[i]}");
    }

    private static void AssertError(CliRun result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        string line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("descent: ", line);
        Assert.Contains(expected, line);
    }
}
