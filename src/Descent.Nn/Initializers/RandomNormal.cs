namespace Descent.Nn.Initializers;

/// <summary>Samples from N(<see cref="Mean"/>, <see cref="Stddev"/>²); Keras's defaults are mean 0 and stddev 0.05.</summary>
public sealed class RandomNormal : Initializer
{
    /// <summary>Creates the initializer; throws ArgumentException for a negative standard deviation.</summary>
    public RandomNormal(double mean = 0, double stddev = 0.05)
    {
        if (!(stddev >= 0)) throw new ArgumentException($"RandomNormal: stddev must be non-negative, got {stddev}.");
        Mean = mean;
        Stddev = stddev;
    }

    /// <summary>The mean.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation.</summary>
    public double Stddev { get; }

    /// <inheritdoc/>
    public override Tensor Create(int[] shape, DType dtype, Generator generator) =>
        Tensor.RandomNormal(shape, generator, Mean, Stddev, dtype);
}
