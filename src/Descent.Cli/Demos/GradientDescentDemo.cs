namespace Descent.Cli.Demos;

/// <summary>
/// The article's example 1: gradient descent on y = 3x² + 2x + 1 (minimum at x = -1/3, y = 2/3),
/// in double precision, with the same operations in the same order as its Python, so that every
/// value matches what Python prints.
/// </summary>
internal static class GradientDescentDemo
{
    public const double MinimumX = -1.0 / 3.0;
    public const double MinimumY = 2.0 / 3.0;

    /// <summary>Keeps the history (32 bytes a step) well inside memory.</summary>
    public const int MaxEpochs = 1_000_000;

    // Python's `3 * x ** 2 + 2 * x + 1`: x ** 2 is rounded once, then multiplied by 3.
    // `3 * x * x` would round 3x first and differ in the last bit.
    public static double F(double x) => 3 * (x * x) + 2 * x + 1;

    public static double Grad(double x) => 6 * x + 2;

    /// <summary>Runs <paramref name="epochs"/> updates x ← x - f'(x)·lr from <paramref name="x0"/>,
    /// stopping early (never throwing) if the next y would overflow.</summary>
    public static GradientDescentResult Run(double x0 = -10, double learningRate = 0.2, int epochs = 1000)
    {
        if (!double.IsFinite(x0) || !double.IsFinite(F(x0)))
            throw new ArgumentOutOfRangeException(nameof(x0), $"x0 must be a number whose f(x0) is finite, got {x0}.");
        if (!double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"lr must be a finite number, got {learningRate}.");
        if (epochs is < 0 or > MaxEpochs)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"epochs must be between 0 and {MaxEpochs}, got {epochs}.");

        var history = new List<GradientDescentStep>(epochs + 1);
        double x = x0;
        int? overflow = null;
        int i = 0;
        for (; i < epochs; i++)
        {
            history.Add(new GradientDescentStep(i, x, F(x), Grad(x)));
            double next = x - (6 * x + 2) * learningRate;
            // A finite y implies a finite x and slope, so this one test keeps every reported value finite.
            if (!double.IsFinite(F(next)))
            {
                overflow = i + 1;
                break;
            }
            x = next;
        }
        // The final point: x_n itself after a full run, or the last finite x_i when stopped at i + 1,
        // which is already the last entry.
        if (overflow is null)
            history.Add(new GradientDescentStep(i, x, F(x), Grad(x)));
        return new GradientDescentResult(x0, learningRate, epochs, Classify(learningRate), history.Count - 1, overflow, history);
    }

    /// <summary>Which way |1 - 6·lr| points decides everything: below 1 converges, above diverges.</summary>
    public static GradientDescentRegime Classify(double learningRate)
    {
        double r = 1 - 6 * learningRate;
        return Math.Abs(r) < 1 ? GradientDescentRegime.Converges
            : r == -1 ? GradientDescentRegime.Oscillates
            : r == 1 ? GradientDescentRegime.Stalls
            : GradientDescentRegime.Diverges;
    }
}
