namespace Descent.Nn.Layers;

// Sliding windows over NHWC images for average pooling (im2col), built from Pad, Gather and Transpose so
// that autodiff supplies the backward pass.
internal static class Windows
{
    /// <summary>The output length along one axis: ceil(n / s) for "same", else the number of whole windows.</summary>
    public static int OutputSize(int size, int kernel, int stride, int dilation, bool same)
    {
        if (same) return (size + stride - 1) / stride;
        int span = (kernel - 1) * dilation + 1;
        return size < span ? 0 : (size - span) / stride + 1;
    }

    /// <summary>TensorFlow's "same" padding: the total needed for ceil(n / s) outputs, the odd element after.</summary>
    public static (int Before, int After) SamePadding(int size, int kernel, int stride, int dilation)
    {
        int output = (size + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>
    /// The windows of x [B, H, W, C] as [B, Ho, Wo, kh, kw, C]. Padding (for "same") uses <paramref name="padValue"/>.
    /// </summary>
    public static Tensor Patches(Tensor x, (int H, int W) kernel, (int H, int W) strides, (int H, int W) dilation, bool same, double padValue)
    {
        int h = x.Shape[1], w = x.Shape[2];
        if (same)
        {
            var ph = SamePadding(h, kernel.H, strides.H, dilation.H);
            var pw = SamePadding(w, kernel.W, strides.W, dilation.W);
            if (ph != (0, 0) || pw != (0, 0)) x = x.Pad([(0, 0), ph, pw, (0, 0)], padValue);
        }
        int ho = OutputSize(h, kernel.H, strides.H, dilation.H, same);
        int wo = OutputSize(w, kernel.W, strides.W, dilation.W, same);
        // Row i of window o sits at i·d + o·s; one Gather per spatial axis picks every (i, o) pair at once.
        var rows = x.Gather(Offsets(kernel.H, ho, strides.H, dilation.H, x.Device), axis: 1);   // [B, kh, Ho, Wp, C]
        var cells = rows.Gather(Offsets(kernel.W, wo, strides.W, dilation.W, x.Device), axis: 3); // [B, kh, Ho, kw, Wo, C]
        return cells.Transpose(0, 2, 4, 1, 3, 5);
    }

    // Index constants for the device the image is on: the arithmetic is the layer's geometry, not data.
    private static Tensor Offsets(int kernel, int output, int stride, int dilation, Device device)
    {
        var index = new int[kernel * output];
        for (int i = 0; i < kernel; i++)
            for (int o = 0; o < output; o++) index[i * output + o] = i * dilation + o * stride;
        return Tensor.FromArray(index, [kernel, output], device);
    }
}
