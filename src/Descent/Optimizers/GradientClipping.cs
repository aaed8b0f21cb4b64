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
        return Scaled(gradient, Factor(SquaredNorm(gradient).Sqrt(), maxNorm));
    }

    /// <summary>
    /// All gradients scaled by maxNorm / max(globalNorm, maxNorm), where globalNorm = sqrt(Σ‖gᵢ‖²) over the non-null
    /// gradients; returns the clipped list and globalNorm (a float64 scalar on the gradients' device, as
    /// tf.clip_by_global_norm returns a tensor: nothing is read back to the host). As in TensorFlow, a NaN or
    /// infinite global norm makes every clipped gradient NaN, so a bad step is visible rather than silently skipped.
    /// </summary>
    public static (Tensor?[] Clipped, Tensor GlobalNorm) ByGlobalNorm(IReadOnlyList<Tensor?> gradients, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        Positive("GradientClipping.ByGlobalNorm", nameof(maxNorm), maxNorm);
        Tensor? sum = null;
        foreach (var g in gradients)
            if (g is not null) sum = sum is null ? SquaredNorm(g) : sum + SquaredNorm(g);
        if (sum is null) return (Map(gradients, g => g), Tensor.Scalar(0.0));
        var norm = sum.Sqrt();
        var factor = Factor(norm, maxNorm);
        return (Map(gradients, g => Scaled(g, factor)), norm);
    }

    private static void Positive(string owner, string name, double value)
    {
        if (!(value > 0 && double.IsFinite(value)))
            throw new ArgumentOutOfRangeException(name, value, $"{owner}: {name} must be positive and finite, got {value}.");
    }

    // maxNorm / max(norm, maxNorm), plus (norm − norm): zero for a finite norm, NaN for an infinite or NaN one,
    // which poisons the factor as TensorFlow does, without reading the norm back to branch on it.
    private static Tensor Factor(Tensor norm, double maxNorm)
    {
        using (GradientTape.Suspend())
            return maxNorm / Tensor.Maximum(norm, norm.Like(maxNorm)) + (norm - norm);
    }

    private static Tensor Scaled(Tensor g, Tensor factor) => g * factor.Cast(g.DType);

    private static Tensor SquaredNorm(Tensor t)
    {
        if (!t.DType.IsFloat())
            throw new ArgumentException($"GradientClipping: gradients must be float32 or float64, got {t.DType.Name()}.");
        using (GradientTape.Suspend())
            return t.Cast(DType.Float64).Square().Sum();
    }

    private static Tensor?[] Map(IReadOnlyList<Tensor?> gradients, Func<Tensor, Tensor> f)
    {
        var result = new Tensor?[gradients.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = gradients[i] is { } g ? f(g) : null;
        return result;
    }
}
