namespace Descent.Optimizers;

/// <summary>
/// Gradient clipping with TensorFlow's semantics (tf.clip_by_value, tf.clip_by_norm, tf.clip_by_global_norm).
/// Null gradients pass through as null. Norms are computed in float64; the scale factor is a constant, not differentiated.
/// </summary>
public static class GradientClipping
{
    /// <summary>Each gradient limited elementwise to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor?[] ByValue(IReadOnlyList<Tensor?> gradients, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (!(min <= max))
            throw new ArgumentException($"GradientClipping.ByValue: min {min} must not exceed max {max}.");
        return Map(gradients, g => g.Clip(min, max));
    }

    /// <summary>Each gradient rescaled on its own so its L2 norm is at most <paramref name="maxNorm"/>: t · maxNorm / max(‖t‖, maxNorm).</summary>
    public static Tensor?[] ByNorm(IReadOnlyList<Tensor?> gradients, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        Positive("GradientClipping.ByNorm", nameof(maxNorm), maxNorm);
        return Map(gradients, g => ByNorm(g, maxNorm));
    }

    /// <summary>One tensor rescaled so its L2 norm is at most <paramref name="maxNorm"/>.</summary>
    public static Tensor ByNorm(Tensor gradient, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        Positive("GradientClipping.ByNorm", nameof(maxNorm), maxNorm);
        double norm = Math.Sqrt(SquaredNorm(gradient));
        return norm > maxNorm ? gradient * (maxNorm / norm) : gradient;
    }

    /// <summary>
    /// All gradients scaled by maxNorm / max(globalNorm, maxNorm), where globalNorm = sqrt(Σ‖gᵢ‖²) over the non-null
    /// gradients; returns the clipped list and globalNorm. As in TensorFlow, a NaN or infinite global norm makes every
    /// clipped gradient NaN, so a bad step is visible rather than silently skipped.
    /// </summary>
    public static (Tensor?[] Clipped, double GlobalNorm) ByGlobalNorm(IReadOnlyList<Tensor?> gradients, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        Positive("GradientClipping.ByGlobalNorm", nameof(maxNorm), maxNorm);
        double sum = 0;
        foreach (var g in gradients)
            if (g is not null) sum += SquaredNorm(g);
        double norm = Math.Sqrt(sum);
        double scale = double.IsFinite(norm) ? maxNorm / Math.Max(norm, maxNorm) : double.NaN;
        return (Map(gradients, g => scale == 1 ? g : g * scale), norm);
    }

    private static void Positive(string owner, string name, double value)
    {
        if (!(value > 0 && double.IsFinite(value)))
            throw new ArgumentOutOfRangeException(name, value, $"{owner}: {name} must be positive and finite, got {value}.");
    }

    private static double SquaredNorm(Tensor t)
    {
        if (!t.DType.IsFloat())
            throw new ArgumentException($"GradientClipping: gradients must be float32 or float64, got {t.DType.Name()}.");
        return t.Cast(DType.Float64).Square().Sum().Item<double>();
    }

    private static Tensor?[] Map(IReadOnlyList<Tensor?> gradients, Func<Tensor, Tensor> f)
    {
        var result = new Tensor?[gradients.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = gradients[i] is { } g ? f(g) : null;
        return result;
    }
}
