namespace Descent.Tests;

/// <summary>
/// Convolution and max pooling composed from general ops, as the Conv2D and MaxPooling2D layers computed them before
/// the primitives: TensorFlow's padding with Pad, the windows with two Gathers and a Transpose (im2col), then a
/// matrix product with the kernel, or a Max over the window axes. Autodiff gives their gradients.
/// </summary>
internal static class ConvReference
{
    public static Tensor Conv2D(Tensor x, Tensor kernel, (int H, int W) strides, string padding, (int H, int W) dilations)
    {
        int b = x.Shape[0], kh = kernel.Shape[0], kw = kernel.Shape[1], cin = kernel.Shape[2], cout = kernel.Shape[3];
        var patches = Patches(x, (kh, kw), strides, dilations, padding, 0, out int ho, out int wo);
        return patches.Reshape(-1, kh * kw * cin).MatMul(kernel.Reshape(kh * kw * cin, cout)).Reshape(b, ho, wo, cout);
    }

    public static Tensor MaxPool2D(Tensor x, (int H, int W) pool, (int H, int W) strides, string padding) =>
        Patches(x, pool, strides, (1, 1), padding, double.NegativeInfinity, out _, out _).Max([3, 4]);

    /// <summary>TensorFlow's padding on one axis: before, after, and the output length.</summary>
    public static (int Before, int After, int Output) Axis(int size, int kernel, int stride, int dilation, string padding)
    {
        int span = (kernel - 1) * dilation + 1;
        if (padding == "valid") return (0, 0, (size - span) / stride + 1);
        int output = (size + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + span - size, 0);
        return (total / 2, total - total / 2, output);
    }

    /// <summary>The windows of x [B, H, W, C] as [B, Ho, Wo, kh, kw, C].</summary>
    private static Tensor Patches(Tensor x, (int H, int W) kernel, (int H, int W) strides, (int H, int W) dilations, string padding,
        double padValue, out int ho, out int wo)
    {
        var (top, bottom, outH) = Axis(x.Shape[1], kernel.H, strides.H, dilations.H, padding);
        var (left, right, outW) = Axis(x.Shape[2], kernel.W, strides.W, dilations.W, padding);
        (ho, wo) = (outH, outW);
        x = x.Pad([(0, 0), (top, bottom), (left, right), (0, 0)], padValue);
        var rows = x.Gather(Offsets(kernel.H, ho, strides.H, dilations.H), axis: 1);   // [B, kh, Ho, Wp, C]
        var cells = rows.Gather(Offsets(kernel.W, wo, strides.W, dilations.W), axis: 3); // [B, kh, Ho, kw, Wo, C]
        return cells.Transpose(0, 2, 4, 1, 3, 5);
    }

    private static Tensor Offsets(int kernel, int output, int stride, int dilation)
    {
        var index = new int[kernel * output];
        for (int i = 0; i < kernel; i++)
            for (int o = 0; o < output; o++) index[i * output + o] = i * dilation + o * stride;
        return Tensor.FromArray(index, kernel, output);
    }
}
