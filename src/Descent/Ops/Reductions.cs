using Descent.Backends;

namespace Descent;

// Reductions over any set of axes, with keepDims. As in NumPy and TensorFlow, null means every axis and an empty
// array means none: the tensor comes back unchanged, so code that computes its axes needs no special case.
public partial class Tensor
{
    private Tensor ReduceRaw(string name, ReduceOp op, int[] axes, bool keepDims)
    {
        CheckNotBool(name);
        var y = Empty(ShapeUtil.Reduced(Dims, axes, keepDims), DType, Backend);
        Backend.Reduce(op, Storage, Layout, axes, y.Storage);
        return y;
    }

    private void CheckNotBool(string name)
    {
        if (DType == DType.Bool) throw new ArgumentException($"{name}: not defined for bool tensors; cast them first.");
    }

    /// <summary>The sum over <paramref name="axes"/> (every axis when null; none, so the tensor itself, when empty).</summary>
    public Tensor Sum(int[]? axes = null, bool keepDims = false)
    {
        var normalized = ShapeUtil.NormalizeAxes("Sum", axes, Rank);
        CheckNotBool("Sum");
        if (normalized.Length == 0) return this;
        var y = ReduceRaw("Sum", ReduceOp.Sum, normalized, keepDims);
        var kept = ShapeUtil.Reduced(Dims, normalized, true);
        return GradientTape.Record(y, this, (g, _) => g.ExpandReduced(kept, Dims));
    }

    /// <summary>
    /// A reduction's output gradient spread back over the input's shape: <c>Reshape(kept).BroadcastTo(shape)</c>
    /// as one view when the gradient is contiguous (the usual case), so a Sum's backward allocates no data.
    /// </summary>
    private Tensor ExpandReduced(int[] kept, int[] shape)
    {
        if (!Layout.IsContiguous) return Reshape(kept).BroadcastTo(shape);
        var view = View(Layout.Contiguous(kept, Layout.Offset).BroadcastTo(shape));
        var from = Dims;
        return GradientTape.Record(view, this, (g, _) => SumTo(g, kept).Reshape(from));
    }

    /// <summary>The sum along one axis.</summary>
    public Tensor Sum(int axis, bool keepDims = false) => Sum([axis], keepDims);

    /// <summary>The mean over <paramref name="axes"/> (every axis when null; none when empty).</summary>
    public Tensor Mean(int[]? axes = null, bool keepDims = false)
    {
        CheckFloat("Mean");
        var normalized = ShapeUtil.NormalizeAxes("Mean", axes, Rank);
        int count = 1;
        foreach (int a in normalized) count *= Dims[a];
        return Sum(normalized, keepDims) * (1.0 / count);
    }

    /// <summary>The mean along one axis.</summary>
    public Tensor Mean(int axis, bool keepDims = false) => Mean([axis], keepDims);

    /// <summary>The maximum over <paramref name="axes"/> (every axis when null; none when empty); tied maxima share the gradient equally.</summary>
    public Tensor Max(int[]? axes = null, bool keepDims = false) => Extremum("Max", ReduceOp.Max, axes, keepDims);

    /// <summary>The maximum along one axis.</summary>
    public Tensor Max(int axis, bool keepDims = false) => Max([axis], keepDims);

    /// <summary>The minimum over <paramref name="axes"/> (every axis when null; none when empty); tied minima share the gradient equally.</summary>
    public Tensor Min(int[]? axes = null, bool keepDims = false) => Extremum("Min", ReduceOp.Min, axes, keepDims);

    /// <summary>The minimum along one axis.</summary>
    public Tensor Min(int axis, bool keepDims = false) => Min([axis], keepDims);

    private Tensor Extremum(string name, ReduceOp op, int[]? axes, bool keepDims)
    {
        var normalized = ShapeUtil.NormalizeAxes(name, axes, Rank);
        CheckNotBool(name);
        if (normalized.Length == 0) return this;
        var y = ReduceRaw(name, op, normalized, keepDims);
        var kept = ShapeUtil.Reduced(Dims, normalized, true);
        return GradientTape.Record(y, this, (g, _) =>
        {
            var mask = Equal(this, y.Reshape(kept)).Cast(DType);
            return g.Reshape(kept) * mask / mask.Sum(normalized, keepDims: true);
        });
    }

    /// <summary>
    /// The variance over <paramref name="axes"/> (every axis when null; none when empty): the sum of squared deviations
    /// from the mean divided by n − <paramref name="ddof"/>, n being the number of elements reduced. The default ddof 0 gives
    /// the population variance (as NumPy and TensorFlow); ddof 1 gives the unbiased sample variance (as PyTorch's default).
    /// As in NumPy, a divisor of zero or less (ddof ≥ n) is taken as zero, which gives infinity, or NaN where every
    /// deviation is zero.
    /// </summary>
    public Tensor Variance(int[]? axes = null, bool keepDims = false, int ddof = 0)
    {
        CheckFloat("Variance");
        var normalized = ShapeUtil.NormalizeAxes("Variance", axes, Rank);
        if (ddof < 0)
            throw new ArgumentOutOfRangeException(nameof(ddof), ddof, $"Variance: ddof must be non-negative, got {ddof}.");
        int count = 1;
        foreach (int a in normalized) count *= Dims[a];
        double divisor = Math.Max(count - ddof, 0);
        return (this - Mean(normalized, keepDims: true)).Square().Sum(normalized, keepDims) * (1.0 / divisor);
    }

    /// <summary>The variance along one axis, dividing by n − <paramref name="ddof"/>.</summary>
    public Tensor Variance(int axis, bool keepDims = false, int ddof = 0) => Variance([axis], keepDims, ddof);

    /// <summary>
    /// The standard deviation, √<see cref="Variance(int[], bool, int)"/>: population (ddof 0) by default, sample with ddof 1.
    /// </summary>
    public Tensor Std(int[]? axes = null, bool keepDims = false, int ddof = 0) => Variance(axes, keepDims, ddof).Sqrt();

    /// <summary>The standard deviation along one axis, dividing by n − <paramref name="ddof"/>.</summary>
    public Tensor Std(int axis, bool keepDims = false, int ddof = 0) => Std([axis], keepDims, ddof);

    /// <summary>The int64 index of the first maximum along <paramref name="axis"/>. Not differentiable.</summary>
    public Tensor ArgMax(int axis = -1) => ArgReduce("ArgMax", ReduceOp.Max, axis);

    /// <summary>The int64 index of the first minimum along <paramref name="axis"/>. Not differentiable.</summary>
    public Tensor ArgMin(int axis = -1) => ArgReduce("ArgMin", ReduceOp.Min, axis);

    private Tensor ArgReduce(string name, ReduceOp op, int axis)
    {
        axis = ShapeUtil.NormalizeAxis(name, axis, Rank);
        var y = Empty(ShapeUtil.Reduced(Dims, [axis], false), DType.Int64, Backend);
        Backend.ArgReduce(op, Storage, Layout, axis, y.Storage);
        return y;
    }
}
