namespace Descent.Nn.Metrics;

/// <summary>
/// Binary precision over everything seen, as Keras's Precision with one threshold: TP / (TP + FP): of the predictions above the threshold, the fraction whose label is positive.
/// Labels are positive when non-zero; all elements are pooled (multi-label outputs are flattened). 0 while TP + FP = 0.
/// </summary>
public sealed class Precision(double threshold = 0.5, string? name = null) : Metric(name ?? "precision")
{
    private double _tp, _fp;

    /// <summary>Predictions strictly above it count as positive.</summary>
    public double Threshold { get; } = BinaryOutcomes.CheckThreshold("Precision", threshold);

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        var (positive, score) = BinaryOutcomes.Read("Precision", yTrue, yPred);
        for (int i = 0; i < score.Length; i++)
        {
            bool predicted = score[i] > Threshold;
            if (predicted && positive[i]) _tp++;
            else if (predicted) _fp++;
        }
    }

    /// <inheritdoc/>
    public override double Result() => _tp + _fp == 0 ? 0 : _tp / (_tp + _fp);

    /// <inheritdoc/>
    public override void ResetState() => _tp = _fp = 0;
}
