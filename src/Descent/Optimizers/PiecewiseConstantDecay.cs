namespace Descent.Optimizers;

/// <summary>
/// Keras's PiecewiseConstantDecay: values[0] while step ≤ boundaries[0], values[i] while boundaries[i−1] &lt; step ≤ boundaries[i],
/// and the last value after the last boundary.
/// </summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    private readonly long[] _boundaries;
    private readonly double[] _values;

    /// <summary>Creates the schedule; there must be one more value than boundaries, and the boundaries must increase.</summary>
    public PiecewiseConstantDecay(long[] boundaries, double[] values)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != boundaries.Length + 1)
            throw new ArgumentException($"PiecewiseConstantDecay: {boundaries.Length} boundaries need {boundaries.Length + 1} values, got {values.Length}.", nameof(values));
        for (int i = 1; i < boundaries.Length; i++)
            if (boundaries[i] <= boundaries[i - 1])
                throw new ArgumentException($"PiecewiseConstantDecay: boundaries must increase, but boundary {i} ({boundaries[i]}) is not above {boundaries[i - 1]}.", nameof(boundaries));
        foreach (double v in values) HyperparameterCheck.NonNegative(nameof(PiecewiseConstantDecay), nameof(values), v);
        _boundaries = (long[])boundaries.Clone();
        _values = (double[])values.Clone();
    }

    /// <summary>The increasing steps after which the rate changes.</summary>
    public IReadOnlyList<long> Boundaries => _boundaries;
    /// <summary>The rate in each interval; one more than the boundaries.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <inheritdoc/>
    public override double At(long step)
    {
        int i = 0;
        while (i < _boundaries.Length && step > _boundaries[i]) i++;
        return _values[i];
    }
}
