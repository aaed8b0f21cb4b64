using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Descent.Nn.Models;

namespace Descent.Onnx.Tests;

/// <summary>Runs an exported file in ONNX Runtime (CPU provider) and compares what it gives with Descent's numbers.</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>
    /// Feeds <paramref name="input"/> (downloaded from its device; float, double, or integer ids as int64) to the graph's
    /// input "input" and returns the output "output" as doubles, with its shape.
    /// </summary>
    public static (double[] Values, long[] Shape) Run(byte[] model, Tensor input)
    {
        using var session = new InferenceSession(model);
        Assert.Equal(["input"], session.InputNames);
        Assert.Equal(["output"], session.OutputNames);
        var shape = input.Shape.Select(d => (long)d).ToArray();
        using var value = input.DType switch
        {
            DType.Float32 => OrtValue.CreateTensorValueFromMemory(input.ToArray<float>(), shape),
            DType.Float64 => OrtValue.CreateTensorValueFromMemory(input.ToArray<double>(), shape),
            _ => OrtValue.CreateTensorValueFromMemory(input.ToArray<long>(), shape),
        };
        using var options = new RunOptions();
        using var outputs = session.Run(options, new Dictionary<string, OrtValue> { ["input"] = value }, ["output"]);
        var output = outputs[0];
        var info = output.GetTensorTypeAndShape();
        double[] values = info.ElementDataType switch
        {
            TensorElementType.Float => output.GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray(),
            TensorElementType.Double => output.GetTensorDataAsSpan<double>().ToArray(),
            var other => throw new InvalidOperationException($"unexpected output element type {other}"),
        };
        return (values, info.Shape);
    }

    /// <summary>
    /// Each element within 1e-5 of Descent's, relative to its magnitude where that is above 1 (logits of trained models
    /// reach tens, where float32's own spacing is 1e-6); NaN never matches.
    /// </summary>
    public static void AssertClose(double[] expected, double[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double allowed = tolerance * Math.Max(1, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= allowed))
                Assert.Fail($"element {i}: Descent {expected[i]:R}, ONNX Runtime {actual[i]:R}, apart by {Math.Abs(expected[i] - actual[i]):G3} > {allowed:G3}.");
        }
    }

    /// <summary>Exports <paramref name="model"/>, runs the file on <paramref name="input"/> and checks it against Predict, shape and values.</summary>
    public static void AssertMatchesPredict(Model model, Tensor input, int opset = OnnxExport.DefaultOpset)
    {
        var expected = model.Predict(input);
        var (actual, shape) = Run(model.ToOnnx(opset), input);
        Assert.Equal(expected.Shape.Select(d => (long)d), shape);
        AssertClose(expected.ToArray<double>(), actual);
    }
}
