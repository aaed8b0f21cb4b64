using Descent.Backends;

namespace Descent;

// Reductions over any set of axes (all when none are given), with keepDims.
public partial class Tensor
{
    private Tensor ReduceRaw(string name, ReduceOp op, int[] axes, bool keepDims)
    {
        var y = Empty(ShapeUtil.Reduced(Dims, axes, keepDims), DType, Backend);
        if (DType == DType.Bool) throw new ArgumentException($"{name}: not defined for bool tensors; cast them first.");
        Backend.Reduce(op, Storage, Layout, axes, y.Storage);
        return y;
    }

    /// <summary>The sum over <paramref name="axes"/> (every axis when null or empty).</summary>
    public Tensor Sum(int[]? axes = null, bool keepDims = false)
    {
        var normalized = ShapeUtil.NormalizeAxes("Sum", axes, Rank);
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

    /// <summary>The mean over <paramref name="axes"/> (every axis when null or empty).</summary>
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

    /// <summary>The maximum over <paramref name="axes"/>; tied maxima share the gradient equally.</summary>
    public Tensor Max(int[]? axes = null, bool keepDims = false) => Extremum("Max", ReduceOp.Max, axes, keepDims);

    /// <summary>The maximum along one axis.</summary>
    public Tensor Max(int axis, bool keepDims = false) => Max([axis], keepDims);

    /// <summary>The minimum over <paramref name="axes"/>; tied minima share the gradient equally.</summary>
    public Tensor Min(int[]? axes = null, bool keepDims = false) => Extremum("Min", ReduceOp.Min, axes, keepDims);

    /// <summary>The minimum along one axis.</summary>
    public Tensor Min(int axis, bool keepDims = false) => Min([axis], keepDims);

    private Tensor Extremum(string name, ReduceOp op, int[]? axes, bool keepDims)
    {
        var normalized = ShapeUtil.NormalizeAxes(name, axes, Rank);
        var y = ReduceRaw(name, op, normalized, keepDims);
        var kept = ShapeUtil.Reduced(Dims, normalized, true);
        return GradientTape.Record(y, this, (g, _) =>
        {
            var mask = Equal(this, y.Reshape(kept)).Cast(DType);
            return g.Reshape(kept) * mask / mask.Sum(normalized, keepDims: true);
        });
    }

    /// <summary>The population variance (divides by n, as NumPy and TensorFlow do).</summary>
    public Tensor Variance(int[]? axes = null, bool keepDims = false)
    {
        CheckFloat("Variance");
        var normalized = ShapeUtil.NormalizeAxes("Variance", axes, Rank);
        return (this - Mean(normalized, keepDims: true)).Square().Mean(normalized, keepDims);
    }

    /// <summary>The variance along one axis.</summary>
    public Tensor Variance(int axis, bool keepDims = false) => Variance([axis], keepDims);

    /// <summary>The population standard deviation.</summary>
    public Tensor Std(int[]? axes = null, bool keepDims = false) => Variance(axes, keepDims).Sqrt();

    /// <summary>The standard deviation along one axis.</summary>
    public Tensor Std(int axis, bool keepDims = false) => Std([axis], keepDims);

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
