using Descent.Backends;

namespace Descent;

// Max pooling over NHWC windows. The kernel reports where each maximum came from, so the backward is a scatter-add
// of the output gradient to those places, and its own gradient a gather: both existing primitives.
public partial class Tensor
{
    /// <summary>
    /// The maximum of each <paramref name="poolSize"/> window of x [batch, height, width, channels], per channel, as
    /// tf.nn.max_pool2d: strides default to the pool size; "same" padding never wins (a NaN does). The gradient goes
    /// to the first maximum of each window, as in TensorFlow.
    /// </summary>
    public static Tensor MaxPool2D(Tensor x, (int Height, int Width) poolSize, (int Height, int Width)? strides = null, string padding = "valid")
    {
        ArgumentNullException.ThrowIfNull(x);
        x.CheckFloat("MaxPool2D");
        var (sh, sw) = strides ?? poolSize;
        if (x.Rank != 4 || poolSize.Height < 1 || poolSize.Width < 1 || sh < 1 || sw < 1)
            throw new ArgumentException($"MaxPool2D: expects input [batch, height, width, channels] and positive pool sizes and strides, got {ShapeUtil.Format(x.Dims)}, pool {poolSize} and strides {(sh, sw)}.");
        int[] window = [poolSize.Height, poolSize.Width];
        var (top, ho) = WindowAxis("MaxPool2D", x.Dims[1], poolSize.Height, sh, 1, padding, x.Dims, window);
        var (left, wo) = WindowAxis("MaxPool2D", x.Dims[2], poolSize.Width, sw, 1, padding, x.Dims, window);
        int c = x.Dims[3];
        var g = new Conv2DGeometry(x.Dims[0], x.Dims[1], x.Dims[2], c, poolSize.Height, poolSize.Width, c, sh, sw, 1, 1, top, left, ho, wo);
        var y = Empty(g.OutputShape, x.DType, x.Backend);
        var argmax = Empty(g.OutputShape, DType.Int32, x.Backend);
        x.Backend.MaxPool2D(x.Storage, x.Layout, y.Storage, argmax.Storage, g);
        return GradientTape.Record(y, x, (gy, _) => ToArgmax(gy, argmax.Reshape(-1), x.Dims));
    }

    /// <summary>
    /// Zeros of <paramref name="shape"/> with each element of <paramref name="gy"/> added at its flat index in
    /// <paramref name="argmax"/>: ScatterAdd without its range check, since the pooling kernel made the indices.
    /// </summary>
    private static Tensor ToArgmax(Tensor gy, Tensor argmax, int[] shape)
    {
        var updates = gy.Reshape(-1);
        var dx = Empty([ShapeUtil.SizeOf(shape)], gy.DType, gy.Backend, zeroed: true);
        gy.Backend.ScatterAdd(updates.Storage, updates.Layout, 0, argmax.Storage, argmax.Layout, dx.Storage, dx.Dims);
        return GradientTape.Record(dx, updates, (g, _) => g.Gather(argmax)).Reshape(shape);
    }
}
