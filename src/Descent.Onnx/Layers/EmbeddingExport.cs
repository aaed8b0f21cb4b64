using Descent.Nn.Layers;

namespace Descent.Onnx.Layers;

/// <summary>Embedding as a Gather of rows of its table; a model that starts with one takes int64 ids.</summary>
internal static class EmbeddingExport
{
    public static void Register() => OnnxExporters.RegisterLayer<Embedding>(Export, takesIds: true);

    private static string Export(Embedding layer, string x, OnnxGraph graph)
    {
        // Ids that arrive as floats (after other layers) are truncated, as Descent and Keras cast them.
        string ids = graph.TypeOf(x) == OnnxElementType.Int64 ? x : graph.Node("Cast", [x], ("to", (int)OnnxElementType.Int64));
        return graph.Node("Gather", [graph.Constant("embeddings", layer.Embeddings!), ids], ("axis", 0));
    }
}
