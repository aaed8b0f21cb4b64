namespace Descent.Nn.Initializers;

/// <summary>
/// Makes a layer's starting weights. All randomness comes from the <see cref="Generator"/> the model
/// passes in, so one seed fixes every weight.
/// </summary>
public abstract class Initializer
{
    /// <summary>A tensor of <paramref name="shape"/> and <paramref name="dtype"/>.</summary>
    public abstract Tensor Create(int[] shape, DType dtype, Generator generator);

    /// <summary>
    /// Keras's fan-in and fan-out: for a kernel [..receptive field.., in, out] (Dense [in, out],
    /// Conv2D [kh, kw, in, out]) fan-in is in × receptive field and fan-out is out × receptive field.
    /// </summary>
    public static (double FanIn, double FanOut) Fans(int[] shape)
    {
        if (shape.Length == 0) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        double receptive = 1;
        for (int i = 0; i < shape.Length - 2; i++) receptive *= shape[i];
        return (shape[^2] * receptive, shape[^1] * receptive);
    }
}
