using Descent.Nn.Losses;

namespace Descent.Nn.Metrics;

// The flattened (label is positive, score) pairs behind Precision, Recall and AUC. As Keras, a label is positive when it
// is non-zero, and a prediction is positive when it is strictly above the threshold.
internal static class BinaryOutcomes
{
    public static (bool[] Positive, double[] Score) Read(string op, Tensor yTrue, Tensor yPred)
    {
        var (t, p) = LossInputs.Align(op, yTrue, yPred);
        var labels = t.ToArray<double>();
        var positive = new bool[labels.Length];
        for (int i = 0; i < labels.Length; i++) positive[i] = labels[i] != 0;
        return (positive, p.ToArray<double>());
    }

    public static double CheckThreshold(string op, double threshold) =>
        threshold is >= 0 and <= 1 ? threshold
            : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"{op}: threshold must be in [0, 1], got {threshold}.");
}
