namespace Descent.Nn.Metrics;

/// <summary>
/// Binary recall over everything seen, as Keras's Recall with one threshold: TP / (TP + FN): of the positive labels, the fraction predicted above the threshold.
/// Labels are positive when non-zero; all elements are pooled (multi-label outputs are flattened). 0 while TP + FN = 0.
/// </summary>
public sealed class Recall(double threshold = 0.5, string? name = null) : Metric(name ?? "recall")
{
    private double _tp, _fn;

    /// <summary>Predictions strictly above it count as positive.</summary>
    public double Threshold { get; } = BinaryOutcomes.CheckThreshold("Recall", threshold);

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        var (positive, score) = BinaryOutcomes.Read("Recall", yTrue, yPred);
        for (int i = 0; i < score.Length; i++)
        {
            bool predicted = score[i] > Threshold;
            if (predicted && positive[i]) _tp++;
            else if (positive[i]) _fn++;
        }
    }

    /// <inheritdoc/>
    public override double Result() => _tp + _fn == 0 ? 0 : _tp / (_tp + _fn);

    /// <inheritdoc/>
    public override void ResetState() => _tp = _fn = 0;
}
