using Descent.Nn.Layers;

namespace Descent.Onnx.Layers;

/// <summary>Embedding as a Gather of rows of its table; a model that starts with one takes int64 ids.</summary>
internal static class EmbeddingExport
{
    public static void Register() => OnnxExporters.RegisterLayer<Embedding>(Export, takesIds: true);

    /// <summary>The ids as int64: ids that arrive as floats (after other layers) are truncated, as Descent and Keras cast them.</summary>
    public static string Ids(string x, OnnxGraph graph) =>
        graph.TypeOf(x) == OnnxElementType.Int64 ? x : graph.Node("Cast", [x], ("to", (int)OnnxElementType.Int64));

    /// <summary>mask_zero's mask, bool and true where the id is not 0, compared as Descent compares it: before any cast.</summary>
    public static string NonZero(string x, OnnxGraph graph)
    {
        var type = graph.TypeOf(x);
        string zero = type == OnnxElementType.Int64 ? graph.Constant("zero", 0) : graph.Scalar("zero", 0, type);
        return graph.Node("Not", [graph.Node("Equal", [x, zero])]);
    }

    private static string Export(Embedding layer, string x, OnnxGraph graph)
    {
        if (layer.MaskZero) graph.SetOutputMask(NonZero(x, graph));
        return graph.Node("Gather", [graph.Constant("embeddings", layer.Embeddings!), Ids(x, graph)], ("axis", 0));
    }
}
