namespace Descent.Nn.Losses;

// Input checks shared by the loss and metric functions, so that every message names the op and both shapes.
internal static class LossInputs
{
    /// <summary>Keras's backend epsilon: probabilities are clipped to [Epsilon, 1 − Epsilon].</summary>
    public const double Epsilon = 1e-7;

    public static void CheckPrediction(string op, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yPred);
        if (!yPred.DType.IsFloat())
            throw new ArgumentException($"{op}: predictions must be float32 or float64, got {yPred.DType.Name()} of shape {Format(yPred.Shape)}.", nameof(yPred));
    }

    /// <summary>
    /// yTrue cast to yPred's dtype, with the shapes made equal as Keras does: when the ranks differ by one and the extra
    /// last axis has size 1 ([B] against [B,1]), that axis is squeezed. Any other mismatch throws; nothing broadcasts.
    /// </summary>
    public static (Tensor YTrue, Tensor YPred) Align(string op, Tensor yTrue, Tensor yPred)
    {
        CheckPrediction(op, yPred);
        (yTrue, yPred) = AlignShapes(op, yTrue, yPred);
        return (yTrue.DType == yPred.DType ? yTrue : yTrue.Cast(yPred.DType), yPred);
    }

    /// <summary>The shape part of <see cref="Align"/>, leaving dtypes alone.</summary>
    public static (Tensor YTrue, Tensor YPred) AlignShapes(string op, Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (yTrue.Rank == yPred.Rank + 1 && yTrue.Shape[^1] == 1) yTrue = yTrue.Squeeze(-1);
        else if (yPred.Rank == yTrue.Rank + 1 && yPred.Shape[^1] == 1) yPred = yPred.Squeeze(-1);
        if (!yTrue.Shape.SequenceEqual(yPred.Shape))
            throw new ArgumentException($"{op}: yTrue shape {Format(yTrue.Shape)} does not match yPred shape {Format(yPred.Shape)}.");
        return (yTrue, yPred);
    }

    /// <summary>The per-sample mean over the last axis; inputs of rank 0 or 1 hold one value per sample and are returned as they are.</summary>
    public static Tensor MeanLastAxis(Tensor values) => values.Rank >= 2 ? values.Mean(-1) : values;

    public static double UnitInterval(string op, string name, double value) =>
        value is >= 0 and <= 1 ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{op}: {name} must be in [0, 1], got {value}.");

    /// <summary>
    /// Integer class labels as int64, checked against <paramref name="classes"/>. Labels may be int32, int64 or floats
    /// holding whole numbers, with shape <paramref name="batchShape"/> or <paramref name="batchShape"/> + [1].
    /// </summary>
    public static Tensor SparseLabels(string op, Tensor labels, IReadOnlyList<int> batchShape, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Rank == batchShape.Count + 1 && labels.Shape[^1] == 1) labels = labels.Squeeze(-1);
        if (!labels.Shape.SequenceEqual(batchShape))
            throw new ArgumentException($"{op}: labels of shape {Format(labels.Shape)} do not match predictions with batch shape {Format(batchShape)} " +
                $"(expected {Format(batchShape)} or {Format([.. batchShape, 1])}).");
        if (labels.DType == DType.Bool)
            throw new ArgumentException($"{op}: labels must be int32, int64 or whole-number floats, got bool.");
        // Checked on the labels' device; only a failure reads them back, to name the first bad one.
        Exception FirstBad()
        {
            var values = labels.ToArray<double>();
            for (int i = 0; i < values.Length; i++)
            {
                double v = values[i];
                if (v != Math.Floor(v))
                    return new ArgumentException($"{op}: label {v} at flat index {i} is not a whole number; sparse labels are class indices.");
                if (v < 0 || v >= classes)
                    return new ArgumentException($"{op}: label {v} at flat index {i} is outside [0, {classes}) (yPred's last axis has {classes} classes).");
            }
            return new InvalidOperationException($"{op}: the label check failed but no bad label was found.");
        }
        if (labels.DType.IsFloat())
            Tensor.Assert(Tensor.Equal(labels, labels.Floor()).Cast(DType.Int32).Min().Cast(DType.Bool), FirstBad);
        var ids = labels.DType == DType.Int64 ? labels : labels.Cast(DType.Int64);
        return ids.CheckRange(classes, FirstBad);
    }

    public static string Format(IReadOnlyList<int> shape) => "[" + string.Join(",", shape) + "]";
}
