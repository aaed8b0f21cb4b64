namespace Descent.Onnx.Layers;

/// <summary>Keras activations by name (the ones <c>Descent.Nn.Layers.Activations</c> knows) as ONNX nodes.</summary>
internal static class ActivationExport
{
    public static string Apply(string activation, string x, OnnxGraph graph) => activation switch
    {
        "linear" => x,
        "relu" => graph.Node("Relu", [x]),
        "sigmoid" => graph.Node("Sigmoid", [x]),
        "tanh" => graph.Node("Tanh", [x]),
        // Descent's softmax runs over the last axis; opset 13 made Softmax take that one axis as well.
        "softmax" => graph.Node("Softmax", [x], ("axis", -1)),
        "elu" => graph.Node("Elu", [x], ("alpha", 1.0)),
        "gelu" => Gelu(x, graph),
        // The activation by name uses Keras's slope of 0.2 (ONNX's default is 0.01).
        "leaky_relu" => graph.Node("LeakyRelu", [x], ("alpha", 0.2)),
        "softplus" => graph.Node("Softplus", [x]),
        "silu" or "swish" => graph.Node("Mul", [x, graph.Node("Sigmoid", [x])]),
        _ => throw new ArgumentException($"ExportOnnx: activation '{activation}' has no ONNX form; add it to Descent.Onnx's ActivationExport."),
    };

    // The exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)): an operator from opset 20, composed with Erf before that.
    private static string Gelu(string x, OnnxGraph graph)
    {
        if (graph.Opset >= 20) return graph.Node("Gelu", [x], ("approximate", "none"));
        var type = graph.TypeOf(x);
        string scaled = graph.Node("Mul", [x, graph.Scalar("inv_sqrt2", 1.0 / Math.Sqrt(2.0), type)]);
        string onePlusErf = graph.Node("Add", [graph.Node("Erf", [scaled]), graph.Scalar("one", 1.0, type)]);
        return graph.Node("Mul", [graph.Node("Mul", [x, graph.Scalar("half", 0.5, type)]), onePlusErf]);
    }
}
