namespace Descent.Nn.Initializers;

/// <summary>Samples uniformly from [<see cref="Min"/>, <see cref="Max"/>); Keras's defaults are −0.05 and 0.05.</summary>
public sealed class RandomUniform : Initializer
{
    /// <summary>Creates the initializer; throws ArgumentException when <paramref name="min"/> exceeds <paramref name="max"/>.</summary>
    public RandomUniform(double min = -0.05, double max = 0.05)
    {
        if (!(min <= max)) throw new ArgumentException($"RandomUniform: min ({min}) must not exceed max ({max}).");
        Min = min;
        Max = max;
    }

    /// <summary>The lower bound (inclusive).</summary>
    public double Min { get; }

    /// <summary>The upper bound (exclusive).</summary>
    public double Max { get; }

    /// <inheritdoc/>
    public override Tensor Create(int[] shape, DType dtype, Generator generator) =>
        Tensor.RandomUniform(shape, generator, Min, Max, dtype);
}
