namespace Descent.Nn.Initializers;

/// <summary>Fills every element with <see cref="Value"/>.</summary>
public class Constant(double value) : Initializer
{
    /// <summary>The fill value.</summary>
    public double Value { get; } = value;

    /// <inheritdoc/>
    public override Tensor Create(int[] shape, DType dtype, Generator generator) => Tensor.Full(shape, Value, dtype);
}
