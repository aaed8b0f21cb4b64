namespace Descent.Nn.Losses;

/// <summary>
/// The loss functions in Keras's function form (tf.keras.losses.mean_squared_error and friends): each returns the
/// per-sample losses, unreduced. yTrue is cast to yPred's dtype; predictions must be float. Shapes must match, except
/// that [B] and [B,1] are aligned as Keras does. Bad input throws <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>
/// MSE, MAE, Huber and binary cross-entropy average over the last axis when the inputs have rank 2 or more. Keras also
/// does so for rank 1, giving one number for a whole [B] batch; here a rank-1 input is read as one value per sample and
/// keeps its shape. The reduced (mean) loss is the same either way.
/// </remarks>
public static class LossFunctions
{
    /// <summary>mean((yTrue − yPred)², axis = −1).</summary>
    public static Tensor MeanSquaredError(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = LossInputs.Align("MeanSquaredError", yTrue, yPred);
        return LossInputs.MeanLastAxis((t - p).Square());
    }

    /// <summary>mean(|yTrue − yPred|, axis = −1).</summary>
    public static Tensor MeanAbsoluteError(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = LossInputs.Align("MeanAbsoluteError", yTrue, yPred);
        return LossInputs.MeanLastAxis((t - p).Abs());
    }

    /// <summary>Huber loss: ½e² where |e| ≤ δ, else δ|e| − ½δ², with e = yPred − yTrue, averaged over the last axis.</summary>
    public static Tensor Huber(Tensor yTrue, Tensor yPred, double delta = 1.0)
    {
        if (!(delta > 0 && double.IsFinite(delta)))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, $"Huber: delta must be positive and finite, got {delta}.");
        var (t, p) = LossInputs.Align("Huber", yTrue, yPred);
        var error = p - t;
        var abs = error.Abs();
        var quadratic = error.Square() * 0.5;
        var linear = abs * delta - 0.5 * delta * delta;
        return LossInputs.MeanLastAxis(Tensor.Where(Tensor.LessEqual(abs, Tensor.Scalar(delta, abs.DType, abs.Device)), quadratic, linear));
    }

    /// <summary>
    /// Binary cross-entropy averaged over the last axis. Targets are smoothed to y(1 − s) + s/2. Probabilities are
    /// clipped to [1e-7, 1 − 1e-7]; logits use the stable form max(x, 0) − x·y + log(1 + e^−|x|).
    /// </summary>
    public static Tensor BinaryCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false, double labelSmoothing = 0)
    {
        const string op = "BinaryCrossentropy";
        LossInputs.UnitInterval(op, nameof(labelSmoothing), labelSmoothing);
        var (t, p) = LossInputs.Align(op, yTrue, yPred);
        if (labelSmoothing > 0) t = t * (1 - labelSmoothing) + 0.5 * labelSmoothing;
        Tensor losses;
        if (fromLogits)
            losses = p.Relu() - p * t + (-p.Abs()).Exp().Log1p();
        else
        {
            p = p.Clip(LossInputs.Epsilon, 1 - LossInputs.Epsilon);
            losses = -(t * p.Log() + (1 - t) * (1 - p).Log());
        }
        return LossInputs.MeanLastAxis(losses);
    }

    /// <summary>
    /// Categorical cross-entropy −Σ yTrue · log p over <paramref name="axis"/>, with one-hot (or soft) targets smoothed to
    /// y(1 − s) + s/C. Probabilities are divided by their sum and clipped to [1e-7, 1 − 1e-7]; logits go through log-softmax.
    /// </summary>
    public static Tensor CategoricalCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false, double labelSmoothing = 0, int axis = -1)
    {
        const string op = "CategoricalCrossentropy";
        LossInputs.UnitInterval(op, nameof(labelSmoothing), labelSmoothing);
        var (t, p) = LossInputs.Align(op, yTrue, yPred);
        if (p.Rank == 0) throw new ArgumentException($"{op}: predictions must have a class axis, got a scalar.");
        if (axis < -p.Rank || axis >= p.Rank)
            throw new ArgumentException($"{op}: axis {axis} is out of range for predictions of shape {LossInputs.Format(p.Shape)}.", nameof(axis));
        if (labelSmoothing > 0) t = t * (1 - labelSmoothing) + labelSmoothing / p.Shape[axis < 0 ? axis + p.Rank : axis];
        return -(t * LogProbabilities(p, fromLogits, axis)).Sum(axis);
    }

    /// <summary>
    /// Categorical cross-entropy with integer class labels: yTrue has yPred's shape without the last (class) axis, or with
    /// a last axis of size 1, and holds int32/int64 labels (or floats with whole values) in [0, classes). From logits it is
    /// <see cref="Tensor.SparseSoftmaxCrossEntropy"/>, the fused primitive.
    /// </summary>
    public static Tensor SparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false)
    {
        const string op = "SparseCategoricalCrossentropy";
        LossInputs.CheckPrediction(op, yPred);
        if (yPred.Rank == 0) throw new ArgumentException($"{op}: predictions must have a class axis, got a scalar.");
        int classes = yPred.Shape[^1];
        var batchShape = yPred.Shape.Take(yPred.Rank - 1).ToArray();
        var labels = LossInputs.SparseLabels(op, yTrue, batchShape, classes);
        if (fromLogits)
        {
            // The fused primitive gives the loss and its gradient in one pass over the logits, where the composed
            // one-hot · log-softmax runs about ten ops forward and back. It takes [rows, classes], so any batch shape
            // is flattened to rows and back. SparseLabels has checked the labels' range already.
            int rows = labels.Size;
            var logits = yPred.Reshape(rows, classes);
            var ids = labels.Reshape(rows);
            logits.CheckSameDevice(op, ids);
            return Tensor.SparseSoftmaxCrossEntropyOfCheckedLabels(logits, ids).Reshape(batchShape);
        }
        var oneHot = Tensor.OneHot(labels, classes, dtype: yPred.DType);
        return -(oneHot * LogProbabilities(yPred, fromLogits: false, -1)).Sum(-1);
    }

    /// <summary>Kullback–Leibler divergence Σ y · log(y / p) over the last axis, with both clipped to [1e-7, 1].</summary>
    public static Tensor KLDivergence(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = LossInputs.Align("KLDivergence", yTrue, yPred);
        if (p.Rank == 0) throw new ArgumentException("KLDivergence: inputs must have a distribution axis, got scalars.");
        t = t.Clip(LossInputs.Epsilon, 1);
        p = p.Clip(LossInputs.Epsilon, 1);
        return (t * (t / p).Log()).Sum(-1);
    }

    private static Tensor LogProbabilities(Tensor p, bool fromLogits, int axis) =>
        fromLogits ? p.LogSoftmax(axis)
            : (p / p.Sum(axis, keepDims: true)).Clip(LossInputs.Epsilon, 1 - LossInputs.Epsilon).Log();
}
