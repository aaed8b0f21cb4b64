using Descent.Nn.Layers;

namespace Descent.Onnx.Layers;

/// <summary>BatchNormalization in its inference form (the moving statistics) and LayerNormalization.</summary>
internal static class NormalizationExports
{
    public static void Register()
    {
        OnnxExporters.RegisterLayer<BatchNormalization>(BatchNormalization);
        OnnxExporters.RegisterLayer<LayerNormalization>(LayerNormalization);
    }

    private static string BatchNormalization(BatchNormalization layer, string x, OnnxGraph graph)
    {
        int rank = layer.InputShape!.Length + 1, axis = OnnxOps.Axis(layer.Axis, rank);
        int features = layer.MovingMean!.Shape[0];
        // ONNX normalizes axis 1 (NCHW's channels): move Descent's feature axis there and back.
        var perm = new[] { 0, axis }.Concat(Enumerable.Range(1, rank - 1).Where(a => a != axis)).ToArray();
        bool moved = axis != 1;
        string input = moved ? graph.Node("Transpose", [x], ("perm", perm)) : x;
        string y = graph.Node("BatchNormalization",
            [
                input,
                graph.Constant("gamma", layer.Gamma ?? Tensor.Ones([features], layer.DType)),
                graph.Constant("beta", layer.Beta ?? Tensor.Zeros([features], layer.DType)),
                graph.Constant("moving_mean", layer.MovingMean),
                graph.Constant("moving_variance", layer.MovingVariance!),
            ],
            ("epsilon", layer.Epsilon));
        return moved ? graph.Node("Transpose", [y], ("perm", OnnxOps.Inverse(perm))) : y;
    }

    private static string LayerNormalization(LayerNormalization layer, string x, OnnxGraph graph)
    {
        int rank = layer.InputShape!.Length + 1, axis = OnnxOps.Axis(layer.Axis, rank);
        int size = layer.InputShape[axis - 1];
        if (graph.Opset < 17) return ComposedLayerNormalization(layer, x, graph, rank, axis, size);
        // ONNX's LayerNormalization normalizes every axis from `axis` to the last; Descent's one axis, moved last, is that.
        var perm = Enumerable.Range(0, rank).Where(a => a != axis).Append(axis).ToArray();
        bool moved = axis != rank - 1;
        string input = moved ? graph.Node("Transpose", [x], ("perm", perm)) : x;
        var inputs = new List<string> { input, graph.Constant("gamma", layer.Gamma ?? Tensor.Ones([size], layer.DType)) };
        if (layer.Beta is not null) inputs.Add(graph.Constant("beta", layer.Beta));
        string y = graph.Node("LayerNormalization", inputs, ("axis", -1), ("epsilon", layer.Epsilon));
        return moved ? graph.Node("Transpose", [y], ("perm", OnnxOps.Inverse(perm))) : y;
    }

    // Before opset 17 there is no LayerNormalization operator: the same arithmetic Descent does, node by node.
    private static string ComposedLayerNormalization(LayerNormalization layer, string x, OnnxGraph graph, int rank, int axis, int size)
    {
        var type = graph.TypeOf(x);
        string centered = graph.Node("Sub", [x, OnnxOps.ReduceMean(graph, x, [axis], keepDims: true)]);
        string variance = OnnxOps.ReduceMean(graph, graph.Node("Mul", [centered, centered]), [axis], keepDims: true);
        string std = graph.Node("Sqrt", [graph.Node("Add", [variance, graph.Scalar("epsilon", layer.Epsilon, type)])]);
        string y = graph.Node("Div", [centered, std]);
        // gamma and beta as [size, 1, ..., 1], so that they broadcast along the normalized axis.
        int[] shape = [size, .. Enumerable.Repeat(1, rank - 1 - axis)];
        if (layer.Gamma is not null) y = graph.Node("Mul", [y, graph.Constant("gamma", layer.Gamma.Reshape(shape))]);
        if (layer.Beta is not null) y = graph.Node("Add", [y, graph.Constant("beta", layer.Beta.Reshape(shape))]);
        return y;
    }
}
