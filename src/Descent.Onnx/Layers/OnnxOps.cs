namespace Descent.Onnx.Layers;

/// <summary>Small node patterns several layer exporters share, written for the graph's operator set.</summary>
internal static class OnnxOps
{
    /// <summary>ReduceMean over <paramref name="axes"/>: an attribute up to opset 17, an input from opset 18.</summary>
    public static string ReduceMean(OnnxGraph graph, string x, int[] axes, bool keepDims) => graph.Opset >= 18
        ? graph.Node("ReduceMean", [x, graph.Constant("axes", axes.Select(a => (long)a).ToArray())], ("keepdims", keepDims ? 1 : 0))
        : graph.Node("ReduceMean", [x], ("axes", axes), ("keepdims", keepDims ? 1 : 0));

    /// <summary>Descent's images are NHWC; ONNX's Conv and pooling want NCHW.</summary>
    public static string ToNchw(OnnxGraph graph, string x) => graph.Node("Transpose", [x], ("perm", new[] { 0, 3, 1, 2 }));

    /// <summary>Back from NCHW to Descent's NHWC.</summary>
    public static string ToNhwc(OnnxGraph graph, string x) => graph.Node("Transpose", [x], ("perm", new[] { 0, 2, 3, 1 }));

    /// <summary>The permutation that undoes <paramref name="perm"/>.</summary>
    public static int[] Inverse(int[] perm)
    {
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return inverse;
    }

    /// <summary>An axis of a [batch, ..shape] value counted from the front (−1 is the last).</summary>
    public static int Axis(int axis, int rank) => axis < 0 ? axis + rank : axis;
}
