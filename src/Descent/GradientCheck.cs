namespace Descent;

/// <summary>The outcome of <see cref="GradientCheck.Run"/>: the worst element found and whether it is within tolerance.</summary>
/// <param name="Passed">True when every element's error is within tolerance.</param>
/// <param name="MaxError">The worst error: |analytic − numeric| / max(1, |analytic|, |numeric|).</param>
/// <param name="Input">Which input holds the worst element.</param>
/// <param name="Index">The worst element's multi-index within that input.</param>
/// <param name="Analytic">The tape's gradient there.</param>
/// <param name="Numeric">The central-difference estimate there.</param>
public sealed record GradientCheckResult(bool Passed, double MaxError, int Input, int[] Index, double Analytic, double Numeric)
{
    /// <summary>One line for a test failure: passed or FAILED, the worst error, where it is, and both gradients there.</summary>
    public override string ToString() =>
        $"{(Passed ? "passed" : "FAILED")}: worst error {MaxError:G3} at input {Input} index {ShapeUtil.Format(Index)}: analytic {Analytic:G17}, numeric {Numeric:G17}";
}

/// <summary>
/// Compares the tape's gradients with central finite differences in float64. A non-scalar output is
/// projected onto fixed random weights first, so every output element (and every direction) is checked.
/// </summary>
public static class GradientCheck
{
    /// <summary>Checks the gradient of <paramref name="function"/> with respect to every float input.</summary>
    public static GradientCheckResult Run(Func<Tensor[], Tensor> function, Tensor[] inputs, double epsilon = 1e-6, double tolerance = 1e-6, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        var x = inputs.Select(t => t.DType.IsFloat() ? t.Cast(DType.Float64) : t).ToArray();
        var probe = function(x);
        var weights = Tensor.RandomUniform(probe.Dims, new Generator(seed), 0.5, 1.5, DType.Float64, probe.Device);
        double Objective(Tensor[] args) => (function(args).Cast(DType.Float64) * weights).Sum().Item<double>();

        Tensor?[] analytic;
        using (var tape = new GradientTape())
        {
            foreach (var t in x) tape.Watch(t);
            var value = (function(x).Cast(DType.Float64) * weights).Sum();
            analytic = tape.Gradient(value, x, UnconnectedGradients.Zero);
        }

        var worst = new GradientCheckResult(true, 0, 0, [], 0, 0);
        for (int input = 0; input < x.Length; input++)
        {
            if (!x[input].DType.IsFloat()) continue;
            var values = x[input].ToArray<double>();
            var grad = analytic[input]!.ToArray<double>();
            var shape = x[input].Dims;
            for (int i = 0; i < values.Length; i++)
            {
                double original = values[i];
                double h = epsilon * Math.Max(1, Math.Abs(original));
                values[i] = original + h;
                double plus = Objective(With(x, input, values, shape));
                values[i] = original - h;
                double minus = Objective(With(x, input, values, shape));
                values[i] = original;
                double numeric = (plus - minus) / (2 * h);
                double error = Math.Abs(grad[i] - numeric) / Math.Max(1, Math.Max(Math.Abs(grad[i]), Math.Abs(numeric)));
                if (double.IsNaN(error)) error = double.PositiveInfinity;
                if (error > worst.MaxError || worst.Index.Length == 0 && shape.Length > 0 && i == 0 && input == 0)
                    worst = new GradientCheckResult(error <= tolerance, error, input, Unravel(i, shape), grad[i], numeric);
            }
        }
        return worst with { Passed = worst.MaxError <= tolerance };
    }

    private static Tensor[] With(Tensor[] x, int input, double[] values, int[] shape)
    {
        var copy = (Tensor[])x.Clone();
        copy[input] = Tensor.FromArray(values, shape, x[input].Device);
        return copy;
    }

    private static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
