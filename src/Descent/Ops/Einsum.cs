namespace Descent;

// Einstein summation, composed of sums, transposes, reshapes and batched matrix products; the gradient comes from them.
public partial class Tensor
{
    /// <summary>
    /// Einstein summation over <paramref name="operands"/>, as NumPy's and TensorFlow's einsum: "ij,jk->ik" is a matrix
    /// product, "bij,bkj->bik" a batched one with the second transposed, "ij->ji" a transpose, "ij->" a sum, "...ij,...jk"
    /// broadcasts the leading axes. Without "->" the output is the ellipsis axes and then the letters used once, sorted.
    /// Operands are contracted pairwise from the left, each pair as one batched <see cref="MatMul(Tensor, Tensor, bool, bool)"/>.
    /// A subscript repeated within one operand (a diagonal) is not supported.
    /// </summary>
    public static Tensor Einsum(string equation, params Tensor[] operands)
    {
        ArgumentNullException.ThrowIfNull(operands);
        if (operands.Length == 0) throw new ArgumentException($"Einsum: '{equation}' needs at least one operand.");
        for (int i = 1; i < operands.Length; i++)
        {
            operands[0].CheckSameDType("Einsum", operands[i]);
            operands[0].CheckSameDevice("Einsum", operands[i]);
        }
        var eq = EinsumEquation.Parse(equation, operands.Select(o => o.Dims).ToArray());

        // Size-1 ellipsis axes that broadcast against a larger size are dropped: that operand simply lacks the label.
        var terms = new (Tensor Value, string Labels)[operands.Length];
        for (int i = 0; i < operands.Length; i++)
            terms[i] = DropBroadcastAxes(operands[i], eq.Inputs[i], eq.Sizes);

        var (result, labels) = terms[0];
        for (int i = 1; i < terms.Length; i++)
        {
            // Labels still needed after this pair: the output's, and those of the operands not yet contracted.
            var later = eq.Output + string.Concat(terms.Skip(i + 1).Select(t => t.Labels));
            (result, labels) = Contract(result, labels, terms[i].Value, terms[i].Labels, later);
        }
        (result, labels) = SumLabelsNotIn(result, labels, eq.Output);
        if (labels.Length == 0) return result;
        var order = eq.Output.Select(l => labels.IndexOf(l)).ToArray();
        return order.Select((axis, i) => axis == i).All(same => same) ? result : result.Transpose(order);
    }

    private static (Tensor, string) DropBroadcastAxes(Tensor x, string labels, Dictionary<char, int> sizes)
    {
        var kept = new List<int>();
        var keptLabels = new System.Text.StringBuilder();
        for (int axis = 0; axis < labels.Length; axis++)
        {
            if (x.Dims[axis] == 1 && sizes[labels[axis]] != 1) continue;
            kept.Add(x.Dims[axis]);
            keptLabels.Append(labels[axis]);
        }
        return kept.Count == labels.Length ? (x, labels) : (x.Reshape(kept.ToArray()), keptLabels.ToString());
    }

    private static (Tensor, string) SumLabelsNotIn(Tensor x, string labels, string needed)
    {
        var axes = Enumerable.Range(0, labels.Length).Where(a => !needed.Contains(labels[a])).ToArray();
        if (axes.Length == 0) return (x, labels);
        return (x.Sum(axes), string.Concat(labels.Where(l => needed.Contains(l))));
    }

    // One pair: labels in both and needed later are batch axes, labels in both and not needed are contracted, the rest
    // are free rows (from a) or columns (from b). a becomes [batch, rows, inner], b [batch, inner, columns].
    private static (Tensor, string) Contract(Tensor a, string aLabels, Tensor b, string bLabels, string later)
    {
        (a, aLabels) = SumLabelsNotIn(a, aLabels, bLabels + later);
        (b, bLabels) = SumLabelsNotIn(b, bLabels, aLabels + later);
        string batch = string.Concat(aLabels.Where(l => bLabels.Contains(l) && later.Contains(l)));
        string inner = string.Concat(aLabels.Where(l => bLabels.Contains(l) && !later.Contains(l)));
        string rows = string.Concat(aLabels.Where(l => !bLabels.Contains(l)));
        string columns = string.Concat(bLabels.Where(l => !aLabels.Contains(l)));
        int Size(Tensor t, string all, string some) => some.Aggregate(1, (n, l) => n * t.Dims[all.IndexOf(l)]);

        var left = Arrange(a, aLabels, batch + rows + inner).Reshape(Size(a, aLabels, batch), Size(a, aLabels, rows), Size(a, aLabels, inner));
        var right = Arrange(b, bLabels, batch + inner + columns).Reshape(Size(b, bLabels, batch), Size(b, bLabels, inner), Size(b, bLabels, columns));
        var product = MatMul(left, right);
        int[] shape = [.. (batch + rows).Select(l => a.Dims[aLabels.IndexOf(l)]), .. columns.Select(l => b.Dims[bLabels.IndexOf(l)])];
        return (product.Reshape(shape), batch + rows + columns);
    }

    private static Tensor Arrange(Tensor x, string labels, string order)
    {
        var permutation = order.Select(l => labels.IndexOf(l)).ToArray();
        bool identity = true;
        for (int i = 0; i < permutation.Length; i++) identity &= permutation[i] == i;
        return identity ? x : x.Transpose(permutation);
    }
}
