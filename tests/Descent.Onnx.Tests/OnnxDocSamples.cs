using Descent.Nn.Layers;
using Descent.Nn.Models;
using Microsoft.ML.OnnxRuntime;

namespace Descent.Onnx.Tests;

/// <summary>
/// docs/onnx.md's C# samples, verbatim between the BEGIN/END markers; <see cref="OnnxDocSamplesTests"/> checks that
/// the page still shows exactly this code and runs it.
/// </summary>
internal static class OnnxDocSamples
{
    public static Sequential Export(string path)
    {
        // BEGIN export
        var model = new Sequential([new Dense(16, activation: "relu"), new Dropout(0.2), new Dense(3, activation: "softmax")], inputShape: [4], seed: 0);
        model.ExportOnnx(path);                              // operator set 17; ExportOnnx(path, opset: 13) for older runtimes
        // END export
        return model;
    }

    public static float[] Run(string path)
    {
        // BEGIN run
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(new float[] { 5.1f, 3.5f, 1.4f, 0.2f }, [1, 4]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, new Dictionary<string, OrtValue> { ["input"] = input }, ["output"]);
        float[] probabilities = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        // END run
        return probabilities;
    }

    public static void RegisterScale()
    {
        // BEGIN register-layer
        OnnxExporters.RegisterLayer<Scale>((layer, x, graph) =>
            graph.Node("Mul", [x, graph.Scalar("factor", layer.Factor, graph.TypeOf(x))]));
        // END register-layer
    }

    public static void RegisterResidual()
    {
        // BEGIN register-model
        OnnxExporters.RegisterModel<Residual>((model, graph) =>
        {
            string x = graph.AddInput("input", model.InputShape!, OnnxElementType.Float);
            string sum = graph.Node("Add", [x, graph.Layer(model.Inner, x)]);
            graph.AddOutput(graph.Layer(model.Outer, sum), "output", [2]);
        });
        // END register-model
    }
}
