namespace Descent;

// Softmax over the positions a bool mask keeps. A masked position is -∞ before the exponential, so its probability is
// exactly 0 (not e^-1e9), and the backward y·(g − Σg·y) gives it exactly 0 gradient too.
public partial class Tensor
{
    /// <summary>
    /// Softmax along <paramref name="axis"/> over the entries where <paramref name="mask"/> (bool, broadcastable to this
    /// shape) is true. Masked entries get probability 0 and gradient 0, exactly. A slice with no entry kept is all zeros
    /// (as Keras's Softmax layer with a mask returns), not NaN.
    /// </summary>
    public Tensor MaskedSoftmax(Tensor mask, int axis = -1)
    {
        ArgumentNullException.ThrowIfNull(mask);
        CheckFloat("MaskedSoftmax");
        if (mask.DType != DType.Bool)
            throw new ArgumentException($"MaskedSoftmax: the mask must be bool (true = keep), got {mask.DType.Name()}.");
        CheckSameDevice("MaskedSoftmax", mask);
        var shape = ShapeUtil.Broadcast("MaskedSoftmax", Dims, mask.Dims);
        if (!ShapeUtil.SameShape(shape, Dims))
            throw new ArgumentException($"MaskedSoftmax: the mask {ShapeUtil.Format(mask.Dims)} must broadcast to the input {ShapeUtil.Format(Dims)}, not widen it.");
        axis = ShapeUtil.NormalizeAxis("MaskedSoftmax", axis, Rank);
        Tensor y;
        using (GradientTape.Suspend())
            y = MaskedSoftmaxRaw(this, mask, axis);
        return GradientTape.Record(y, this, (g, _) => y * (g - (g * y).Sum(axis, keepDims: true)));
    }

    /// <summary>
    /// The forward of <see cref="MaskedSoftmax"/> without recording; mask null means plain softmax. A caller that knows
    /// every slice keeps an entry (a causal mask keeps the diagonal) passes <paramref name="mayBeEmpty"/> false and
    /// skips the two guards.
    /// </summary>
    internal static Tensor MaskedSoftmaxRaw(Tensor x, Tensor? mask, int axis, bool mayBeEmpty = true)
    {
        var kept = mask is null ? x : Where(mask, x, x.Like(double.NegativeInfinity));
        var max = kept.Max(axis, keepDims: true);
        bool guard = mask is not null && mayBeEmpty;
        // A slice with nothing kept has max -∞; shifting by 0 there keeps exp(-∞ − 0) = 0 rather than NaN.
        if (guard) max = Where(Equal(max, max.Like(double.NegativeInfinity)), max.Like(0), max);
        var e = (kept - max).Exp();
        var sum = e.Sum(axis, keepDims: true);
        if (guard) sum = Where(Equal(sum, sum.Like(0)), sum.Like(1), sum);
        return e / sum;
    }
}
