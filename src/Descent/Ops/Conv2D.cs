using Descent.Backends;

namespace Descent;

// 2-D convolution over NHWC images and its two backward products, TensorFlow's Conv2DBackpropInput and
// Conv2DBackpropFilter. Each of the three is bilinear, and the gradients of each are the other two (or itself), so
// the family is closed under differentiation: gradients of any order are convolutions again.
public partial class Tensor
{
    /// <summary>
    /// The convolution of x [batch, height, width, inChannels] with kernel [kh, kw, inChannels, outChannels], as
    /// tf.nn.conv2d: the result is [batch, ho, wo, outChannels]. "valid" reads no padding; "same" pads with zeros so
    /// that ho = ceil(height / stride), the odd row or column after. A <paramref name="bias"/> [outChannels] and an
    /// <paramref name="activation"/> run fused on the result, as in <see cref="Dense"/>.
    /// </summary>
    public static Tensor Conv2D(Tensor x, Tensor kernel, (int Height, int Width)? strides = null, string padding = "valid",
        (int Height, int Width)? dilations = null, Tensor? bias = null, FusedActivation activation = FusedActivation.Linear)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(kernel);
        CheckOperands("Conv2D", x, kernel);
        var g = ConvGeometry("Conv2D", x.Dims, kernel.Dims, strides ?? (1, 1), padding, dilations ?? (1, 1));
        if (bias is not null)
        {
            CheckOperands("Conv2D", x, bias);
            if (bias.Rank != 1 || bias.Dims[0] != g.OutChannels)
                throw new ArgumentException($"Conv2D: bias has shape {ShapeUtil.Format(bias.Dims)}, expected [{g.OutChannels}].");
        }
        if (bias is null && activation == FusedActivation.Linear) return Convolve(x, kernel, g);

        Tensor y;
        using (GradientTape.Suspend())
            y = Convolve(x, kernel, g);
        // The output is contiguous, so its rows are the output pixels: the dense layer's epilogue applies as is.
        x.Backend.BiasActivation(y.Storage, Layout.Contiguous([y.Size / g.OutChannels, g.OutChannels]), bias?.Storage, bias?.Layout, activation);
        Tensor[] inputs = bias is null ? [x, kernel] : [x, kernel, bias];
        Tensor? cachedFor = null, cached = null;
        // The three input gradients share one pre-activation gradient; remember it for the g it was made from.
        Tensor PreActivation(Tensor gy)
        {
            if (ReferenceEquals(gy, cachedFor)) return cached!;
            cachedFor = gy;
            return cached = activation switch
            {
                FusedActivation.Relu => gy * y.Sign(), // y = relu(z) ≥ 0, so sign(y) is relu'(z)
                FusedActivation.Sigmoid => gy * y * (1.0 - y),
                FusedActivation.Tanh => gy * (1.0 - y * y),
                _ => gy,
            };
        }
        return GradientTape.Record(y, inputs, (gy, i) => i switch
        {
            0 => ConvolveBackwardInput(PreActivation(gy), kernel, g),
            1 => ConvolveBackwardFilter(x, PreActivation(gy), g),
            _ => PreActivation(gy).Sum([0, 1, 2]),
        });
    }

    /// <summary>
    /// The gradient of <see cref="Conv2D"/> with respect to its input x of <paramref name="inputShape"/>, given the
    /// output's gradient <paramref name="outputGradient"/> [batch, ho, wo, outChannels], as tf.nn.conv2d_backprop_input
    /// (the transposed convolution). Strides, padding and dilations are the forward's.
    /// </summary>
    public static Tensor Conv2DBackpropInput(int[] inputShape, Tensor kernel, Tensor outputGradient, (int Height, int Width)? strides = null,
        string padding = "valid", (int Height, int Width)? dilations = null)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(outputGradient);
        CheckOperands("Conv2DBackpropInput", outputGradient, kernel);
        var g = ConvGeometry("Conv2DBackpropInput", inputShape, kernel.Dims, strides ?? (1, 1), padding, dilations ?? (1, 1));
        CheckOutputGradient("Conv2DBackpropInput", outputGradient, g);
        return ConvolveBackwardInput(outputGradient, kernel, g);
    }

    /// <summary>
    /// The gradient of <see cref="Conv2D"/> with respect to its kernel of <paramref name="kernelShape"/>, given the input
    /// x and the output's gradient <paramref name="outputGradient"/>, as tf.nn.conv2d_backprop_filter. Strides, padding
    /// and dilations are the forward's.
    /// </summary>
    public static Tensor Conv2DBackpropFilter(Tensor x, int[] kernelShape, Tensor outputGradient, (int Height, int Width)? strides = null,
        string padding = "valid", (int Height, int Width)? dilations = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(kernelShape);
        ArgumentNullException.ThrowIfNull(outputGradient);
        CheckOperands("Conv2DBackpropFilter", x, outputGradient);
        var g = ConvGeometry("Conv2DBackpropFilter", x.Dims, kernelShape, strides ?? (1, 1), padding, dilations ?? (1, 1));
        CheckOutputGradient("Conv2DBackpropFilter", outputGradient, g);
        return ConvolveBackwardFilter(x, outputGradient, g);
    }

    private static Tensor Convolve(Tensor x, Tensor w, Conv2DGeometry g)
    {
        var y = Empty(g.OutputShape, x.DType, x.Backend);
        x.Backend.Conv2D(x.Storage, x.Layout, w.Storage, w.Layout, y.Storage, g);
        return GradientTape.Record(y, x, w, (gy, i) => i == 0 ? ConvolveBackwardInput(gy, w, g) : ConvolveBackwardFilter(x, gy, g));
    }

    private static Tensor ConvolveBackwardInput(Tensor dy, Tensor w, Conv2DGeometry g)
    {
        var dx = Empty(g.InputShape, dy.DType, dy.Backend);
        dy.Backend.Conv2DBackwardInput(dy.Storage, dy.Layout, w.Storage, w.Layout, dx.Storage, g);
        return GradientTape.Record(dx, dy, w, (gx, i) => i == 0 ? Convolve(gx, w, g) : ConvolveBackwardFilter(gx, dy, g));
    }

    private static Tensor ConvolveBackwardFilter(Tensor x, Tensor dy, Conv2DGeometry g)
    {
        var dw = Empty(g.KernelShape, x.DType, x.Backend);
        x.Backend.Conv2DBackwardFilter(x.Storage, x.Layout, dy.Storage, dy.Layout, dw.Storage, g);
        return GradientTape.Record(dw, x, dy, (gw, i) => i == 0 ? ConvolveBackwardInput(dy, gw, g) : Convolve(x, gw, g));
    }

    /// <summary>Float operands of one dtype on one device.</summary>
    private static void CheckOperands(string op, Tensor a, Tensor b)
    {
        a.CheckSameDType(op, b);
        a.CheckFloat(op);
        a.CheckSameDevice(op, b);
    }

    private static void CheckOutputGradient(string op, Tensor outputGradient, Conv2DGeometry g)
    {
        if (!ShapeUtil.SameShape(outputGradient.Dims, g.OutputShape))
            throw new ArgumentException($"{op}: the output gradient has shape {ShapeUtil.Format(outputGradient.Dims)}, but input {ShapeUtil.Format(g.InputShape)} and kernel {ShapeUtil.Format(g.KernelShape)} give an output of {ShapeUtil.Format(g.OutputShape)}.");
    }

    /// <summary>Checks the shapes and options of a convolution and resolves TensorFlow's padding into a geometry.</summary>
    private static Conv2DGeometry ConvGeometry(string op, IReadOnlyList<int> x, IReadOnlyList<int> k, (int H, int W) strides, string padding, (int H, int W) dilations)
    {
        if (x.Count != 4 || k.Count != 4 || x[3] != k[2])
            throw new ArgumentException($"{op}: expects input [batch, height, width, channels] and kernel [kh, kw, channels, filters], got {ShapeUtil.Format([.. x])} and {ShapeUtil.Format([.. k])}.");
        if (k[0] < 1 || k[1] < 1)
            throw new ArgumentException($"{op}: the kernel {ShapeUtil.Format([.. k])} has an empty window.");
        if (strides.H < 1 || strides.W < 1 || dilations.H < 1 || dilations.W < 1)
            throw new ArgumentException($"{op}: strides and dilations must be positive, got strides {strides} and dilations {dilations}.");
        var (top, ho) = WindowAxis(op, x[1], k[0], strides.H, dilations.H, padding, x, k);
        var (left, wo) = WindowAxis(op, x[2], k[1], strides.W, dilations.W, padding, x, k);
        return new Conv2DGeometry(x[0], x[1], x[2], x[3], k[0], k[1], k[3], strides.H, strides.W, dilations.H, dilations.W, top, left, ho, wo);
    }

    /// <summary>
    /// One spatial axis of a window op: the padding before the data and the output length, with TensorFlow's "same"
    /// (ceil(size / stride) outputs, the odd padding after) or "valid" (whole windows only).
    /// </summary>
    internal static (int Before, int Output) WindowAxis(string op, int size, int kernel, int stride, int dilation, string padding,
        IReadOnlyList<int> input, IReadOnlyList<int> window)
    {
        int span = (kernel - 1) * dilation + 1;
        switch (padding?.ToLowerInvariant())
        {
            case "same":
                int output = (size + stride - 1) / stride;
                int total = Math.Max((output - 1) * stride + span - size, 0);
                return (total / 2, output);
            case "valid":
                if (size < span)
                    throw new ArgumentException($"{op}: input {ShapeUtil.Format([.. input])} is smaller than the window {ShapeUtil.Format([.. window])} (dilated extent {span}) with \"valid\" padding.");
                return (0, (size - span) / stride + 1);
            default:
                throw new ArgumentException($"{op}: padding must be \"valid\" or \"same\", got '{padding}'.");
        }
    }
}
