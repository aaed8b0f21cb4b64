using Descent.Nn.Models;

namespace Descent.Onnx;

// A Sequential is a chain: one input, each layer's output feeding the next, one output.
internal static class SequentialExport
{
    public static void Export(Sequential model, OnnxGraph graph)
    {
        if (model.Layers.Count == 0)
            throw new InvalidOperationException($"ExportOnnx: model '{model.Name}' has no layers; add some first.");
        var shape = model.InputShape!;
        var first = model.Layers[0];
        var inputType = OnnxExporters.TakesIds(first) ? OnnxElementType.Int64 : OnnxGraph.ElementType(first.DType);
        string x = graph.AddInput("input", shape, inputType);
        foreach (var layer in model.Layers)
        {
            x = graph.Layer(layer, x);
            shape = layer.ComputeOutputShape(shape);
        }
        graph.AddOutput(x, "output", shape);
    }
}
