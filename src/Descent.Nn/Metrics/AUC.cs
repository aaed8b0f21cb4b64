namespace Descent.Nn.Metrics;

/// <summary>
/// Area under the ROC curve over everything seen, as Keras's AUC with its defaults (curve="ROC",
/// summation_method="interpolation", num_thresholds=200): confusion counts at thresholds
/// [−1e-7, 1/(n−1), 2/(n−1), …, (n−2)/(n−1), 1 + 1e-7], then the trapezoidal rule over the (FPR, TPR) points. Scores that
/// fall between the same pair of thresholds are tied, so the value approximates the exact AUC to within that resolution.
/// Labels are positive when non-zero; predictions must be probabilities in [0, 1]. 0 before any update.
/// </summary>
public sealed class AUC : Metric
{
    private readonly double[] _thresholds;
    private readonly double[] _tp, _fp, _tn, _fn;

    /// <summary>Creates the metric with <paramref name="numThresholds"/> thresholds (at least 2).</summary>
    public AUC(int numThresholds = 200, string? name = null) : base(name ?? "auc")
    {
        if (numThresholds < 2) throw new ArgumentOutOfRangeException(nameof(numThresholds), numThresholds, $"AUC: numThresholds must be at least 2, got {numThresholds}.");
        const double epsilon = 1e-7;
        _thresholds = new double[numThresholds];
        _thresholds[0] = -epsilon;
        for (int i = 1; i < numThresholds - 1; i++) _thresholds[i] = (double)i / (numThresholds - 1);
        _thresholds[^1] = 1 + epsilon;
        _tp = new double[numThresholds];
        _fp = new double[numThresholds];
        _tn = new double[numThresholds];
        _fn = new double[numThresholds];
    }

    /// <summary>The thresholds, increasing.</summary>
    public IReadOnlyList<double> Thresholds => _thresholds;

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        var (positive, score) = BinaryOutcomes.Read("AUC", yTrue, yPred);
        for (int i = 0; i < score.Length; i++)
            if (!(score[i] is >= 0 and <= 1))
                throw new ArgumentException($"AUC: predictions must be probabilities in [0, 1], got {score[i]} at flat index {i}.", nameof(yPred));
        for (int i = 0; i < score.Length; i++)
            for (int j = 0; j < _thresholds.Length; j++)
            {
                bool predicted = score[i] > _thresholds[j];
                if (positive[i]) (predicted ? _tp : _fn)[j]++;
                else (predicted ? _fp : _tn)[j]++;
            }
    }

    /// <inheritdoc/>
    public override double Result()
    {
        double area = 0;
        for (int j = 0; j + 1 < _thresholds.Length; j++)
        {
            double height = (Rate(_tp, _fn, j) + Rate(_tp, _fn, j + 1)) / 2;
            area += (Rate(_fp, _tn, j) - Rate(_fp, _tn, j + 1)) * height;
        }
        return area;
    }

    private static double Rate(double[] hits, double[] misses, int j) => hits[j] + misses[j] == 0 ? 0 : hits[j] / (hits[j] + misses[j]);

    /// <inheritdoc/>
    public override void ResetState()
    {
        Array.Clear(_tp);
        Array.Clear(_fp);
        Array.Clear(_tn);
        Array.Clear(_fn);
    }
}
