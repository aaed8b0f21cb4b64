using Descent.Nn.Layers;

namespace Descent.Onnx.Layers;

/// <summary>Dense, Activation, Dropout, Flatten and Reshape as ONNX nodes.</summary>
internal static class CoreLayerExports
{
    public static void Register()
    {
        OnnxExporters.RegisterLayer<Dense>(Dense);
        OnnxExporters.RegisterLayer<Activation>((layer, x, graph) => ActivationExport.Apply(layer.ActivationName, x, graph));
        // Predict runs with training off, where dropout is the identity: no node at all.
        OnnxExporters.RegisterLayer<Dropout>((_, x, _) => x);
        OnnxExporters.RegisterLayer<Flatten>((_, x, graph) => graph.Node("Flatten", [x], ("axis", 1)));
        OnnxExporters.RegisterLayer<Reshape>(Reshape);
    }

    private static string Dense(Dense layer, string x, OnnxGraph graph)
    {
        string kernel = graph.Constant("kernel", layer.Kernel!);
        string? bias = layer.Bias is null ? null : graph.Constant("bias", layer.Bias);
        string y;
        if (layer.InputShape!.Length == 1)
            // [batch, features]: one Gemm, the form every runtime fuses best.
            y = graph.Node("Gemm", bias is null ? [x, kernel] : [x, kernel, bias]);
        else
        {
            // [batch, ..., features]: MatMul broadcasts over the leading axes, as Descent folds them into rows.
            y = graph.Node("MatMul", [x, kernel]);
            if (bias is not null) y = graph.Node("Add", [y, bias]);
        }
        return ActivationExport.Apply(layer.ActivationName, y, graph);
    }

    private static string Reshape(Reshape layer, string x, OnnxGraph graph)
    {
        // The target with its −1 resolved from the known input shape; the batch axis stays free.
        var target = layer.ComputeOutputShape(layer.InputShape!);
        return graph.Node("Reshape", [x, graph.Constant("shape", [-1, .. target.Select(d => (long)d)])]);
    }
}
