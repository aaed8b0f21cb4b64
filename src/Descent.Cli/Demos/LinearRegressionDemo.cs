using Descent.Optimizers;

namespace Descent.Cli.Demos;

/// <summary>
/// The article's example 2, its TensorFlow program line by line in Descent: fit y ≈ a·X + b to five
/// points by plain SGD on the sum of squared errors, in float32, from a = b = 0.
/// </summary>
internal static class LinearRegressionDemo
{
    public static readonly float[] X = [0f, 0.25f, 0.5f, 0.74f, 1f];
    public static readonly float[] Y = [0f, 0.36f, 0.54f, 0.82f, 1f];

    // The same data as doubles typed from the article's decimals, not widened from float32: the
    // least-squares line is the exact answer for the data as written.
    private static readonly double[] XDouble = [0, 0.25, 0.5, 0.74, 1];
    private static readonly double[] YDouble = [0, 0.36, 0.54, 0.82, 1];

    public const double DefaultLearningRate = 5e-4;
    public const int DefaultEpochs = 100;
    public const int MaxEpochs = 1_000_000;

    public static LinearRegressionResult Run(double learningRate = DefaultLearningRate, int epochs = DefaultEpochs)
    {
        if (!double.IsFinite(learningRate) || learningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"lr must be a non-negative number, got {learningRate}.");
        if (epochs is < 0 or > MaxEpochs)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"epochs must be between 0 and {MaxEpochs}, got {epochs}.");

        var x = Tensor.FromArray(X);
        var y = Tensor.FromArray(Y);
        var a = new Variable(0f, "a");
        var b = new Variable(0f, "b");
        Variable[] variables = [a, b];
        var optimizer = new SGD(learningRate);

        var history = new List<LinearRegressionEpoch>(Math.Min(epochs, 100_000) + 1);
        int? stopped = null;
        for (int e = 0; e < epochs; e++)
        {
            float aBefore = a.Item<float>(), bBefore = b.Item<float>();
            Tensor?[] grads;
            float loss;
            using (var tape = new GradientTape())
            {
                var yPred = a * x + b;
                var lossTensor = (yPred - y).Square().Sum();
                grads = tape.Gradient(lossTensor, variables);
                loss = lossTensor.Item<float>();
            }
            history.Add(new LinearRegressionEpoch(e, aBefore, bBefore, loss));
            optimizer.ApplyGradients(grads, variables);
            // Too large a learning rate makes a and b grow geometrically until float32 overflows; stop
            // with the last finite values rather than report infinities (JSON cannot hold them).
            if (!float.IsFinite(loss) || !float.IsFinite(a.Item<float>()) || !float.IsFinite(b.Item<float>()))
            {
                a.Assign(Tensor.Scalar(aBefore));
                b.Assign(Tensor.Scalar(bBefore));
                history.RemoveAt(history.Count - 1);
                stopped = e;
                break;
            }
        }
        float aFinal = a.Item<float>(), bFinal = b.Item<float>();
        history.Add(new LinearRegressionEpoch(history.Count, aFinal, bFinal, ((a * x + b - y).Square().Sum()).Item<float>()));

        var (lsA, lsB) = LeastSquares();
        return new LinearRegressionResult(learningRate, epochs, history, stopped, lsA, lsB, SumOfSquares(lsA, lsB));
    }

    /// <summary>The line that minimises the loss, in closed form: a = (nΣxy − ΣxΣy) / (nΣx² − (Σx)²),
    /// b = (Σy − aΣx) / n.</summary>
    public static (double A, double B) LeastSquares()
    {
        double n = XDouble.Length, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < XDouble.Length; i++)
        {
            sx += XDouble[i];
            sy += YDouble[i];
            sxx += XDouble[i] * XDouble[i];
            sxy += XDouble[i] * YDouble[i];
        }
        double a = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return (a, (sy - a * sx) / n);
    }

    /// <summary>The eigenvalues of the loss's Hessian 2·[[Σx², Σx], [Σx, n]], which is the same at every
    /// (a, b): plain gradient descent shrinks the error along each eigenvector by |1 − lr·λ| per epoch.</summary>
    public static (double Min, double Max) Curvature()
    {
        double n = XDouble.Length, sx = XDouble.Sum(), sxx = XDouble.Sum(v => v * v);
        double mean = (sxx + n), gap = Math.Sqrt((sxx - n) * (sxx - n) + 4 * sx * sx);
        return (mean - gap, mean + gap); // 2·(trace ± √(trace² − 4·det))/2 for the 2×2 matrix
    }

    /// <summary>True when lr·λmax &gt; 2: the error along the steepest direction grows every epoch.</summary>
    public static bool Diverges(double learningRate) => learningRate * Curvature().Max > 2;

    /// <summary>The loss Σ(a·x + b − y)² of a line, in double.</summary>
    public static double SumOfSquares(double a, double b)
    {
        double sum = 0;
        for (int i = 0; i < XDouble.Length; i++)
            sum += (a * XDouble[i] + b - YDouble[i]) * (a * XDouble[i] + b - YDouble[i]);
        return sum;
    }
}
