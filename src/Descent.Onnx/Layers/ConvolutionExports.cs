using Descent.Nn.Layers;

namespace Descent.Onnx.Layers;

/// <summary>
/// Conv2D and the 2-D poolings. Descent's images are NHWC and ONNX's Conv and pooling operators read NCHW, so each
/// runs between two Transposes; runtimes cancel the pairs that meet between consecutive layers. "same" padding is
/// written as explicit pads computed by the rule Descent uses (TensorFlow's: the odd row or column after).
/// </summary>
internal static class ConvolutionExports
{
    public static void Register()
    {
        OnnxExporters.RegisterLayer<Conv2D>(Conv2D);
        OnnxExporters.RegisterLayer<MaxPooling2D>((layer, x, graph) => Pool(layer, x, graph, "MaxPool"));
        // count_include_pad = 0: with "same" padding only real elements count, as in Descent and Keras.
        OnnxExporters.RegisterLayer<AveragePooling2D>((layer, x, graph) => Pool(layer, x, graph, "AveragePool", ("count_include_pad", 0)));
        OnnxExporters.RegisterLayer<GlobalAveragePooling2D>((layer, x, graph) => OnnxOps.ReduceMean(graph, x, [1, 2], layer.KeepDims));
    }

    private static string Conv2D(Conv2D layer, string x, OnnxGraph graph)
    {
        var (kh, kw) = layer.KernelSize;
        // Keras's kernel [kh, kw, channels, filters] becomes ONNX's [filters, channels, kh, kw].
        var inputs = new List<string> { OnnxOps.ToNchw(graph, x), graph.Constant("kernel", layer.Kernel!.Transpose(3, 2, 0, 1)) };
        if (layer.Bias is not null) inputs.Add(graph.Constant("bias", layer.Bias));
        string y = graph.Node("Conv", inputs,
            ("kernel_shape", new[] { kh, kw }),
            ("strides", new[] { layer.Strides.Height, layer.Strides.Width }),
            ("dilations", new[] { layer.DilationRate.Height, layer.DilationRate.Width }),
            ("pads", Pads(layer.InputShape!, layer.KernelSize, layer.Strides, layer.DilationRate, layer.Padding)));
        // The activation runs on NHWC, where softmax's last axis is the channels, as in Descent.
        return ActivationExport.Apply(layer.ActivationName, OnnxOps.ToNhwc(graph, y), graph);
    }

    private static string Pool(Pooling2D layer, string x, OnnxGraph graph, string opType, params (string, object)[] extra)
    {
        string y = graph.Node(opType, [OnnxOps.ToNchw(graph, x)],
        [
            ("kernel_shape", new[] { layer.PoolSize.Height, layer.PoolSize.Width }),
            ("strides", new[] { layer.Strides.Height, layer.Strides.Width }),
            ("pads", Pads(layer.InputShape!, layer.PoolSize, layer.Strides, (1, 1), layer.Padding)),
            .. extra,
        ]);
        return OnnxOps.ToNhwc(graph, y);
    }

    // ONNX's order: [top, left, bottom, right].
    private static int[] Pads(int[] inputShape, (int H, int W) kernel, (int H, int W) strides, (int H, int W) dilation, string padding)
    {
        if (padding != "same") return [0, 0, 0, 0];
        var (top, bottom) = Windows.SamePadding(inputShape[0], kernel.H, strides.H, dilation.H);
        var (left, right) = Windows.SamePadding(inputShape[1], kernel.W, strides.W, dilation.W);
        return [top, left, bottom, right];
    }
}
