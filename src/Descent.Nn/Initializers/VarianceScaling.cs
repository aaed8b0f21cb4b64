namespace Descent.Nn.Initializers;

/// <summary>
/// Keras's VarianceScaling: samples with variance <c>scale / n</c>, where n is the fan-in ("fan_in"),
/// fan-out ("fan_out") or their mean ("fan_avg"), from a truncated normal ("truncated_normal"), a normal
/// ("untruncated_normal") or a uniform ("uniform") distribution. Glorot, He and LeCun are special cases.
/// </summary>
public class VarianceScaling : Initializer
{
    // The standard deviation of a unit normal truncated to ±2: dividing by it gives the truncated samples the intended variance.
    private const double TruncatedStd = 0.87962566103423978;

    /// <summary>Creates the initializer; throws ArgumentException for a non-positive scale or an unknown mode or distribution.</summary>
    public VarianceScaling(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal")
    {
        if (!(scale > 0)) throw new ArgumentException($"VarianceScaling: scale must be positive, got {scale}.");
        if (mode is not ("fan_in" or "fan_out" or "fan_avg"))
            throw new ArgumentException($"VarianceScaling: mode must be fan_in, fan_out or fan_avg, got '{mode}'.");
        if (distribution is not ("truncated_normal" or "untruncated_normal" or "uniform"))
            throw new ArgumentException($"VarianceScaling: distribution must be truncated_normal, untruncated_normal or uniform, got '{distribution}'.");
        Scale = scale;
        Mode = mode;
        Distribution = distribution;
    }

    /// <summary>The variance numerator.</summary>
    public double Scale { get; }

    /// <summary>"fan_in", "fan_out" or "fan_avg".</summary>
    public string Mode { get; }

    /// <summary>"truncated_normal", "untruncated_normal" or "uniform".</summary>
    public string Distribution { get; }

    /// <inheritdoc/>
    public override Tensor Create(int[] shape, DType dtype, Generator generator)
    {
        var (fanIn, fanOut) = Fans(shape);
        double n = Mode switch { "fan_in" => fanIn, "fan_out" => fanOut, _ => (fanIn + fanOut) / 2 };
        double variance = Scale / Math.Max(1, n);
        return Distribution switch
        {
            "truncated_normal" => Tensor.TruncatedNormal(shape, generator, 0, Math.Sqrt(variance) / TruncatedStd, dtype),
            "untruncated_normal" => Tensor.RandomNormal(shape, generator, 0, Math.Sqrt(variance), dtype),
            _ => Tensor.RandomUniform(shape, generator, -Math.Sqrt(3 * variance), Math.Sqrt(3 * variance), dtype),
        };
    }
}
