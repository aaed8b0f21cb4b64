namespace Descent.Nn.Initializers;

/// <summary>
/// Keras's Orthogonal: a random orthogonal matrix times <see cref="Gain"/>, Keras's default for recurrent kernels.
/// The shape is read as a matrix [product of the leading axes, last axis]; its rows (when there are fewer rows than
/// columns) or its columns are orthonormal. Made as Keras makes it: the Q of a QR decomposition of a standard normal
/// matrix, with the signs that give R a positive diagonal, so the result is uniformly distributed.
/// </summary>
public sealed class Orthogonal : Initializer
{
    /// <summary>Creates the initializer; throws ArgumentException for a gain that is not finite.</summary>
    public Orthogonal(double gain = 1.0)
    {
        if (!double.IsFinite(gain)) throw new ArgumentException($"Orthogonal: gain must be finite, got {gain}.");
        Gain = gain;
    }

    /// <summary>The factor applied to the orthogonal matrix.</summary>
    public double Gain { get; }

    /// <inheritdoc/>
    public override Tensor Create(int[] shape, DType dtype, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length < 2)
            throw new ArgumentException($"Orthogonal: needs a shape with at least two axes, got [{string.Join(",", shape)}].");
        int rows = 1;
        foreach (int d in shape[..^1]) rows *= d;
        int columns = shape[^1];
        // Orthonormalise the columns of a tall matrix; a wide one is the transpose of a tall one.
        int tall = Math.Max(rows, columns), narrow = Math.Min(rows, columns);
        var normal = Tensor.RandomNormal([tall, narrow], generator, dtype: DType.Float64).ToArray<double>();
        var q = OrthonormalColumns(normal, tall, narrow);
        var values = new double[rows * columns];
        for (int i = 0; i < tall; i++)
            for (int j = 0; j < narrow; j++)
                values[rows >= columns ? i * columns + j : j * columns + i] = Gain * q[i * narrow + j];
        return Tensor.FromArray(values, shape, Device.Default).Cast(dtype);
    }

    // Gram-Schmidt on the columns of a [rows, columns] row-major matrix, each projection done twice ("twice is
    // enough") so the columns stay orthogonal to rounding. Each column's norm is R's diagonal, positive, as in Keras's
    // q * sign(diag(r)).
    private static double[] OrthonormalColumns(double[] a, int rows, int columns)
    {
        for (int j = 0; j < columns; j++)
        {
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < j; k++)
                {
                    double dot = 0;
                    for (int i = 0; i < rows; i++) dot += a[i * columns + k] * a[i * columns + j];
                    for (int i = 0; i < rows; i++) a[i * columns + j] -= dot * a[i * columns + k];
                }
            double norm = 0;
            for (int i = 0; i < rows; i++) norm += a[i * columns + j] * a[i * columns + j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < rows; i++) a[i * columns + j] /= norm;
        }
        return a;
    }
}
