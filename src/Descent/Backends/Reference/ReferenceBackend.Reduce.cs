namespace Descent.Backends.Reference;

// Reductions walk the input once in row-major order and fold each element into the output it belongs to,
// found by viewing the output with the input's shape and stride 0 along the reduced axes.
internal sealed partial class ReferenceBackend
{
    public void Reduce(ReduceOp op, Storage x, Layout xLayout, int[] axes, Storage y)
    {
        var (input, output) = (Own(x, "Reduce"), Own(y, "Reduce"));
        Expect($"{op}", x.DType, y);
        if (x.DType == DType.Bool) throw new ArgumentException($"{op}: not defined for bool tensors; cast them first.");
        var into = Ignoring(xLayout.Dims, axes);
        int kept = 1, reduced = 1;
        for (int axis = 0; axis < xLayout.Rank; axis++)
            if (Array.IndexOf(axes, axis) < 0) kept *= xLayout.Dims[axis];
            else reduced *= xLayout.Dims[axis];
        if (kept > 0 && reduced == 0 && op != ReduceOp.Sum)
            throw new ArgumentException($"{op}: cannot reduce over an empty axis (shape {ShapeUtil.Format(xLayout.Dims)}).");

        if (x.DType.IsFloat())
        {
            // Float sums accumulate in double, whatever the dtype, and are rounded once by the store.
            var totals = new double[kept];
            Array.Fill(totals, op switch { ReduceOp.Sum => 0.0, ReduceOp.Max => double.NegativeInfinity, _ => double.PositiveInfinity });
            for (int i = 0; i < xLayout.Size; i++)
            {
                ref double total = ref totals[At(into, i)];
                double v = input.Real(At(xLayout, i));
                total = op switch { ReduceOp.Sum => total + v, ReduceOp.Max => Math.Max(total, v), _ => Math.Min(total, v) };
            }
            for (int j = 0; j < kept; j++) output.SetReal(j, totals[j]);
        }
        else
        {
            // Integer sums wrap; wrapping is modular, so summing in long and wrapping once gives the same int32.
            var totals = new long[kept];
            Array.Fill(totals, op switch { ReduceOp.Sum => 0L, ReduceOp.Max => long.MinValue, _ => long.MaxValue });
            for (int i = 0; i < xLayout.Size; i++)
            {
                ref long total = ref totals[At(into, i)];
                long v = input.Integer(At(xLayout, i));
                total = op switch { ReduceOp.Sum => total + v, ReduceOp.Max => Math.Max(total, v), _ => Math.Min(total, v) };
            }
            for (int j = 0; j < kept; j++) output.SetInteger(j, totals[j]);
        }
    }

    public void ArgReduce(ReduceOp op, Storage x, Layout xLayout, int axis, Storage y)
    {
        var (input, output) = (Own(x, "ArgReduce"), Own(y, "ArgReduce"));
        Expect($"Arg{op}", DType.Int64, y);
        int dim = xLayout.Dims[axis];
        if (dim == 0) throw new ArgumentException($"Arg{op}: axis {axis} is empty (shape {ShapeUtil.Format(xLayout.Dims)}).");
        if (x.DType == DType.Bool) throw new ArgumentException($"Arg{op}: not defined for bool tensors.");
        var into = Ignoring(xLayout.Dims, [axis]);
        int inner = 1;
        for (int a = axis + 1; a < xLayout.Rank; a++) inner *= xLayout.Dims[a];
        // Row-major order visits each output's candidates in increasing index, so a strict "beats" keeps the first of ties.
        var best = new double[xLayout.Size / dim];
        var bestInteger = new long[best.Length];
        for (int i = 0; i < xLayout.Size; i++)
        {
            int j = At(into, i), index = i / inner % dim, at = At(xLayout, i);
            bool first = index == 0;
            if (x.DType.IsFloat())
            {
                double v = input.Real(at);
                if (!first && !Beats(op, v, best[j])) continue;
                best[j] = v;
            }
            else
            {
                long v = input.Integer(at);
                if (!first && !(op == ReduceOp.Max ? v > bestInteger[j] : v < bestInteger[j])) continue;
                bestInteger[j] = v;
            }
            output.SetInteger(j, index);
        }
    }

    // Whether v displaces the best so far, as TensorPrimitives.IndexOfMax/IndexOfMin decide: the first NaN wins
    // outright, and +0 counts as greater than −0.
    private static bool Beats(ReduceOp op, double v, double best)
    {
        if (double.IsNaN(best)) return false;
        if (double.IsNaN(v)) return true;
        return op == ReduceOp.Max ? Below(best, v) : Below(v, best);
    }

    private static bool Below(double a, double b) => a < b || (a == 0 && b == 0 && double.IsNegative(a) && !double.IsNegative(b));
}
