using Descent.Nn.Layers;

namespace Descent.Onnx.Layers;

/// <summary>
/// The layers over [batch, steps, channels] sequences: Conv1D and MaxPooling1D as ONNX's 1-D Conv and MaxPool between
/// transposes (ONNX wants the channels before the steps), the global poolings as reductions over the steps, and
/// Masking, which makes the mask the recurrent layers and GlobalAveragePooling1D read.
/// </summary>
internal static class SequenceExports
{
    public static void Register()
    {
        OnnxExporters.RegisterLayer<Conv1D>(Conv1D);
        OnnxExporters.RegisterLayer<MaxPooling1D>(MaxPooling1D);
        OnnxExporters.RegisterLayer<GlobalAveragePooling1D>(GlobalAveragePooling1D);
        OnnxExporters.RegisterLayer<GlobalMaxPooling1D>((layer, x, graph) => OnnxOps.Reduce(graph, "ReduceMax", x, [1], layer.KeepDims));
        OnnxExporters.RegisterLayer<Masking>(Masking);
    }

    private static string Conv1D(Conv1D layer, string x, OnnxGraph graph)
    {
        // Keras's kernel [kernelSize, channels, filters] becomes ONNX's [filters, channels, kernelSize].
        var inputs = new List<string> { OnnxOps.SwapSequenceAxes(graph, x), graph.Constant("kernel", layer.Kernel!.Transpose(2, 1, 0)) };
        if (layer.Bias is not null) inputs.Add(graph.Constant("bias", layer.Bias));
        // "causal" is "valid" after (kernelSize − 1)·dilation steps of zeros before the data, which Conv's pads give.
        int[] pads = layer.Padding switch
        {
            "causal" => [(layer.KernelSize - 1) * layer.DilationRate, 0],
            _ => Pads(layer.InputShape![0], layer.KernelSize, layer.Strides, layer.DilationRate, layer.Padding),
        };
        string y = graph.Node("Conv", inputs,
            ("kernel_shape", new[] { layer.KernelSize }),
            ("strides", new[] { layer.Strides }),
            ("dilations", new[] { layer.DilationRate }),
            ("pads", pads));
        // The activation runs on [batch, steps, filters], where softmax's last axis is the filters, as in Descent.
        return ActivationExport.Apply(layer.ActivationName, OnnxOps.SwapSequenceAxes(graph, y), graph);
    }

    private static string MaxPooling1D(MaxPooling1D layer, string x, OnnxGraph graph)
    {
        // MaxPool's pads never win a window, as Descent's "same" padding never does.
        string y = graph.Node("MaxPool", [OnnxOps.SwapSequenceAxes(graph, x)],
            ("kernel_shape", new[] { layer.PoolSize }),
            ("strides", new[] { layer.Strides }),
            ("pads", Pads(layer.InputShape![0], layer.PoolSize, layer.Strides, 1, layer.Padding)));
        return OnnxOps.SwapSequenceAxes(graph, y);
    }

    private static string GlobalAveragePooling1D(GlobalAveragePooling1D layer, string x, OnnxGraph graph)
    {
        if (graph.InputMask is not { } mask) return OnnxOps.ReduceMean(graph, x, [1], layer.KeepDims);
        // With a mask, the mean over the unmasked steps only: sum(x·w) / sum(w), w the mask as 0/1 [batch, steps, 1]
        // (a sample with no unmasked step gives 0/0, NaN, as in Descent and Keras).
        string weights = graph.Node("Unsqueeze", [graph.Node("Cast", [mask], ("to", (int)graph.TypeOf(x))), graph.Constant("axes", 2)]);
        string sum = OnnxOps.Reduce(graph, "ReduceSum", graph.Node("Mul", [x, weights]), [1], layer.KeepDims);
        return graph.Node("Div", [sum, OnnxOps.Reduce(graph, "ReduceSum", weights, [1], layer.KeepDims)]);
    }

    private static string Masking(Masking layer, string x, OnnxGraph graph)
    {
        var type = graph.TypeOf(x);
        // A step is kept when any of its features (the last axis) differs from the mask value; NaN differs from all.
        string differs = graph.Node("Cast", [graph.Node("Not", [graph.Node("Equal", [x, graph.Scalar("mask_value", layer.MaskValue, type)])])], ("to", (int)type));
        string keep = OnnxOps.Reduce(graph, "ReduceMax", differs, [-1], keepDims: true);
        graph.SetOutputMask(graph.Node("Cast", [graph.Node("Squeeze", [keep, graph.Constant("axes", -1)])], ("to", (int)OnnxElementType.Bool)));
        // The masked steps become zeros (NaN features of a kept step stay NaN, as x·1 does in Descent).
        return graph.Node("Mul", [x, keep]);
    }

    // ONNX's order: [before, after].
    private static int[] Pads(int steps, int kernel, int stride, int dilation, string padding)
    {
        if (padding != "same") return [0, 0];
        var (before, after) = Windows.SamePadding(steps, kernel, stride, dilation);
        return [before, after];
    }
}
