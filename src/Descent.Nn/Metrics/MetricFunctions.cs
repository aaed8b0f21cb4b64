using Descent.Nn.Losses;

namespace Descent.Nn.Metrics;

/// <summary>
/// Keras's metric functions (accuracy, binary_accuracy, categorical_accuracy, ...): each returns float64 values per
/// sample (or per element), 1 for a hit and 0 for a miss, which the metric objects average.
/// </summary>
public static class MetricFunctions
{
    /// <summary>Exact match: 1 where yTrue == yPred elementwise (compared as float64), after aligning [B] with [B,1].</summary>
    public static Tensor Accuracy(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = LossInputs.AlignShapes("Accuracy", yTrue, yPred);
        return Tensor.Equal(t.Cast(DType.Float64), p.Cast(DType.Float64)).Cast(DType.Float64);
    }

    /// <summary>1 where (yPred &gt; threshold) equals yTrue ≠ 0, elementwise.</summary>
    public static Tensor BinaryAccuracy(Tensor yTrue, Tensor yPred, double threshold = 0.5)
    {
        var (t, p) = LossInputs.Align("BinaryAccuracy", yTrue, yPred);
        var predicted = Tensor.Greater(p, Tensor.Scalar(threshold, p.DType, p.Device));
        var actual = Tensor.NotEqual(t, Tensor.Scalar(0.0, t.DType, t.Device));
        return Tensor.Equal(predicted, actual).Cast(DType.Float64);
    }

    /// <summary>1 per sample where the argmax of yPred equals the argmax of one-hot yTrue (the first maximum wins ties).</summary>
    public static Tensor CategoricalAccuracy(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = LossInputs.Align("CategoricalAccuracy", yTrue, yPred);
        CheckClassAxis("CategoricalAccuracy", p);
        return Tensor.Equal(t.ArgMax(-1), p.ArgMax(-1)).Cast(DType.Float64);
    }

    /// <summary>1 per sample where the argmax of yPred equals the integer label (labels of shape [B] or [B,1], in [0, classes)).</summary>
    public static Tensor SparseCategoricalAccuracy(Tensor yTrue, Tensor yPred)
    {
        const string op = "SparseCategoricalAccuracy";
        var labels = SparseLabels(op, yTrue, yPred);
        return Tensor.Equal(labels, yPred.ArgMax(-1)).Cast(DType.Float64);
    }

    /// <summary>
    /// 1 per sample where the class of one-hot yTrue is among the <paramref name="k"/> largest predictions. As
    /// tf.math.in_top_k, a class tied with the k-th largest counts as in the top k.
    /// </summary>
    public static Tensor TopKCategoricalAccuracy(Tensor yTrue, Tensor yPred, int k = 5)
    {
        var (t, p) = LossInputs.Align("TopKCategoricalAccuracy", yTrue, yPred);
        CheckClassAxis("TopKCategoricalAccuracy", p);
        return InTopK(t.ArgMax(-1), p, k);
    }

    /// <summary>As <see cref="TopKCategoricalAccuracy"/>, with integer labels.</summary>
    public static Tensor SparseTopKCategoricalAccuracy(Tensor yTrue, Tensor yPred, int k = 5) =>
        InTopK(SparseLabels("SparseTopKCategoricalAccuracy", yTrue, yPred), yPred, k);

    private static Tensor InTopK(Tensor labels, Tensor p, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, $"TopKCategoricalAccuracy: k must be at least 1, got {k}.");
        // The label is in the top k when fewer than k classes score strictly higher than it.
        int classes = p.Shape[^1];
        var isLabel = Tensor.Equal(Tensor.OneHot(labels, classes, dtype: p.DType), Tensor.Scalar(1.0, p.DType, p.Device));
        var labelScore = Tensor.Where(isLabel, p, Tensor.Scalar(0.0, p.DType, p.Device)).Sum(-1, keepDims: true);
        var higher = Tensor.Greater(p, labelScore).Cast(DType.Float64).Sum(-1);
        return Tensor.Less(higher, Tensor.Scalar(k, DType.Float64, p.Device)).Cast(DType.Float64);
    }

    private static Tensor SparseLabels(string op, Tensor yTrue, Tensor yPred)
    {
        LossInputs.CheckPrediction(op, yPred);
        CheckClassAxis(op, yPred);
        return LossInputs.SparseLabels(op, yTrue, yPred.Shape.Take(yPred.Rank - 1).ToArray(), yPred.Shape[^1]);
    }

    private static void CheckClassAxis(string op, Tensor p)
    {
        if (p.Rank == 0) throw new ArgumentException($"{op}: predictions must have a class axis, got a scalar.");
    }
}
