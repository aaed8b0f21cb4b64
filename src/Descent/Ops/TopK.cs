namespace Descent;

// The k largest entries of the last axis, by ranking: each entry's rank is how many entries come before it in descending
// order (larger, or equal and earlier). The ranks are a permutation, so rank r marks exactly one entry, the r-th value.
// That costs n² comparisons per row, which suits the class and vocabulary sizes of sampling, and needs no sort
// primitive. The values are a Where-and-Sum of the input, so their gradient flows back to the chosen entries.
public partial class Tensor
{
    /// <summary>
    /// The <paramref name="k"/> largest entries along the last axis, in descending order, and their int64 indices (as
    /// tf.math.top_k with sorted=true): shapes [..., k]. Equal values come in index order; NaN counts as larger than
    /// everything, as in PyTorch. The work grows with the square of the last axis.
    /// </summary>
    public (Tensor Values, Tensor Indices) TopK(int k)
    {
        if (Rank == 0) throw new ArgumentException("TopK: needs at least one axis, got a scalar.");
        CheckNotBool("TopK");
        int n = Dims[^1];
        if (k < 0 || k > n) throw new ArgumentException($"TopK: k = {k} is outside [0, {n}] for shape {ShapeUtil.Format(Dims)}.");
        Tensor chosen; // [..., k, n]: row r marks the entry of rank r
        using (GradientTape.Suspend())
        {
            var a = Unsqueeze(-1);  // entry i along axis -2
            var b = Unsqueeze(-2);  // entry j along axis -1
            var nanA = NotEqual(a, a);
            var nanB = NotEqual(b, b);
            // j comes before i when x_j > x_i, or NaN beats a number, or the two tie (NaNs included) and j < i.
            var earlier = Less(Arange(n, DType.Int32, Device).Unsqueeze(0), Arange(n, DType.Int32, Device).Unsqueeze(1));
            var tie = LogicalOr(Equal(a, b), LogicalAnd(nanA, nanB));
            var before = LogicalOr(LogicalOr(Greater(b, a), LogicalAnd(nanB, nanA.LogicalNot())), LogicalAnd(tie, earlier));
            var rank = before.Cast(DType.Int32).Sum(-1);                      // [..., n]
            chosen = Equal(rank.Unsqueeze(-2), Arange(k, DType.Int32, Device).Unsqueeze(-1));
        }
        var indices = chosen.Cast(DType.Int32).ArgMax(-1);
        var values = Where(chosen, Unsqueeze(-2), Like(0)).Sum(-1);
        return (values, indices);
    }
}
