namespace Descent.Nn.Metrics;

/// <summary>
/// The running (weighted) mean of the values it is given, as Keras's Mean metric; use it to average batch losses over
/// an epoch. Through the <see cref="Metric"/> interface, yPred supplies the values and yTrue is ignored.
/// </summary>
public class Mean(string? name = null) : Metric(name ?? "mean")
{
    // The tensor part of the total stays on the values' device until Result reads it: no download per batch.
    private Tensor? _deviceTotal;
    private double _total, _count;

    /// <summary>Adds every element of <paramref name="values"/> with weight 1.</summary>
    public void UpdateState(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sum = values.Cast(DType.Float64).Sum();
        _deviceTotal = _deviceTotal is null ? sum : _deviceTotal + sum;
        _count += values.Size;
    }

    /// <summary>Adds one value with a weight, such as a batch's mean loss weighted by the batch size.</summary>
    public void UpdateState(double value, double weight = 1)
    {
        if (!(weight >= 0 && double.IsFinite(weight)))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"{GetType().Name}: weight must be non-negative and finite, got {weight}.");
        _total += value * weight;
        _count += weight;
    }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred) => UpdateState(yPred);

    /// <summary>The weighted mean so far; 0 before any update (as Keras).</summary>
    public override double Result() => _count == 0 ? 0 : (_total + (_deviceTotal?.Item<double>() ?? 0)) / _count;

    /// <inheritdoc/>
    public override void ResetState()
    {
        _total = _count = 0;
        _deviceTotal = null;
    }
}
