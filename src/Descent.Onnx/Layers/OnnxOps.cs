namespace Descent.Onnx.Layers;

/// <summary>Small node patterns several layer exporters share, written for the graph's operator set.</summary>
internal static class OnnxOps
{
    /// <summary>ReduceMean over <paramref name="axes"/>.</summary>
    public static string ReduceMean(OnnxGraph graph, string x, int[] axes, bool keepDims) => Reduce(graph, "ReduceMean", x, axes, keepDims);

    /// <summary>
    /// The reduction <paramref name="opType"/> (ReduceMean, ReduceMax, ReduceSum, ReduceProd) over <paramref name="axes"/>:
    /// the axes are an attribute before opset 18 and an input from it, except for ReduceSum, whose input came in opset 13.
    /// </summary>
    public static string Reduce(OnnxGraph graph, string opType, string x, int[] axes, bool keepDims) =>
        graph.Opset >= (opType == "ReduceSum" ? 13 : 18)
            ? graph.Node(opType, [x, graph.Constant("axes", axes.Select(a => (long)a).ToArray())], ("keepdims", keepDims ? 1 : 0))
            : graph.Node(opType, [x], ("axes", axes), ("keepdims", keepDims ? 1 : 0));

    /// <summary>Swaps the last two axes of [batch, steps, channels]: ONNX's 1-D Conv and pooling want [batch, channels, steps].</summary>
    public static string SwapSequenceAxes(OnnxGraph graph, string x) => graph.Node("Transpose", [x], ("perm", new[] { 0, 2, 1 }));

    /// <summary>Reverses the order of the steps (axis 1), with a Slice of step −1.</summary>
    public static string ReverseSteps(OnnxGraph graph, string x) => graph.Node("Slice",
        [x, graph.Constant("starts", -1), graph.Constant("ends", long.MinValue), graph.Constant("axes", 1), graph.Constant("steps", -1)]);

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
