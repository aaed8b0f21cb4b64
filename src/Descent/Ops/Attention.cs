using Descent.Backends;

namespace Descent;

// Scaled dot-product attention as one op, like PyTorch's F.scaled_dot_product_attention: its forward is two batched
// matrix products around a masked softmax, and its backward is written here rather than left to the composition, so a
// backend can later replace the forward (flash attention) without touching the layers. The attention weights are
// recorded as an op of the query and key, so gradients through them, and second derivatives, are right too.
public partial class Tensor
{
    /// <summary>
    /// softmax(query · keyᵀ · scale, masked) · value for query [..., Tq, d], key [..., Tk, d] and value [..., Tk, dv]
    /// (batch axes broadcast): shape [..., Tq, dv]. <paramref name="mask"/> is bool, broadcastable to [..., Tq, Tk], true
    /// where a query may attend to a key; <paramref name="causal"/> also hides key j from query i when j &gt; i (the
    /// top-left aligned triangle, as PyTorch and Keras). Hidden keys get exactly zero weight; a query that may attend to
    /// nothing gets zero weights and a zero output. The scale defaults to 1/√d. With <paramref name="dropout"/> above 0
    /// the weights are dropped at that rate (and the rest scaled by 1/(1 − rate)) with masks drawn from
    /// <paramref name="generator"/>; pass 0 at inference.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? mask = null, bool causal = false,
        double dropout = 0, Generator? generator = null, double? scale = null) =>
        Attention(query, key, value, mask, causal, dropout, generator, scale).Output;

    /// <summary>
    /// <see cref="ScaledDotProductAttention"/> that also returns the attention weights [..., Tq, Tk] (before dropout, as
    /// Keras's return_attention_scores), themselves differentiable with respect to the query and key.
    /// </summary>
    public static (Tensor Output, Tensor Weights) ScaledDotProductAttentionWithWeights(Tensor query, Tensor key, Tensor value,
        Tensor? mask = null, bool causal = false, double dropout = 0, Generator? generator = null, double? scale = null) =>
        Attention(query, key, value, mask, causal, dropout, generator, scale);

    private static (Tensor Output, Tensor Weights) Attention(Tensor q, Tensor k, Tensor v, Tensor? mask, bool causal,
        double dropout, Generator? generator, double? scale)
    {
        const string op = "ScaledDotProductAttention";
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        q.CheckFloat(op);
        q.CheckSameDType(op, k);
        q.CheckSameDType(op, v);
        q.CheckSameDevice(op, k);
        q.CheckSameDevice(op, v);
        if (q.Rank < 2 || k.Rank < 2 || v.Rank < 2 || k.Dims[^1] != q.Dims[^1] || v.Dims[^2] != k.Dims[^2])
            throw new ArgumentException($"{op}: expects query [..., Tq, d], key [..., Tk, d] and value [..., Tk, dv], got {ShapeUtil.Format(q.Dims)}, {ShapeUtil.Format(k.Dims)} and {ShapeUtil.Format(v.Dims)}.");
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentException($"{op}: dropout must be in [0, 1), got {dropout}.");
        if (dropout > 0 && generator is null) throw new ArgumentException($"{op}: dropout {dropout} needs a generator for its masks.");
        double s = scale ?? 1 / Math.Sqrt(q.Dims[^1]);
        if (!double.IsFinite(s)) throw new ArgumentException($"{op}: the scale must be finite, got {s}.");
        int tq = q.Dims[^2], tk = k.Dims[^2];
        if (mask is not null)
        {
            if (mask.DType != DType.Bool) throw new ArgumentException($"{op}: the mask must be bool (true = attend), got {mask.DType.Name()}.");
            q.CheckSameDevice(op, mask);
            var batch = ShapeUtil.Broadcast(op, q.Dims[..^2], k.Dims[..^2]);
            int[] scores = [.. batch, tq, tk];
            bool fits = mask.Rank <= scores.Length;
            for (int i = 1; fits && i <= mask.Rank; i++) fits = mask.Dims[^i] == 1 || mask.Dims[^i] == scores[^i];
            if (!fits)
                throw new ArgumentException($"{op}: the mask {ShapeUtil.Format(mask.Dims)} does not broadcast to the scores {ShapeUtil.Format(scores)}.");
        }

        Tensor p, output;
        Tensor? keep = null; // the dropout mask, already scaled by 1/(1 − rate)
        using (GradientTape.Suspend())
        {
            var allowed = causal ? CausalMask(tq, tk, q.Backend) : null;
            if (mask is not null) allowed = allowed is null ? mask : LogicalAnd(mask, allowed);
            // A causal triangle alone keeps key 0 for every query, so no row can be empty.
            p = MaskedSoftmaxRaw(MatMul(q, k, transposeB: true) * s, allowed, -1, mayBeEmpty: mask is not null);
            if (dropout > 0)
            {
                var u = RandomUniform(p.Dims, generator!, dtype: p.DType, device: p.Device);
                keep = Where(GreaterEqual(u, u.Like(dropout)), p.Like(1 / (1 - dropout)), p.Like(0));
            }
            output = MatMul(keep is null ? p : p * keep, v);
        }

        // ∂L/∂scores from ∂L/∂weights: the softmax's Jacobian, then the scale.
        Tensor ScoresGradient(Tensor w, Tensor dWeights) => w * (dWeights - (dWeights * w).Sum(-1, keepDims: true)) * s;
        Tensor ToQuery(Tensor dScores) => SumTo(MatMul(dScores, k), q.Dims);
        Tensor ToKey(Tensor dScores) => SumTo(MatMul(dScores, q, transposeA: true), k.Dims);

        Tensor weights = null!;
        weights = GradientTape.Record(p, q, k, (g, i) =>
        {
            var dScores = ScoresGradient(weights, g);
            return i == 0 ? ToQuery(dScores) : ToKey(dScores);
        });
        // The query and key gradients share ∂L/∂scores; remember it for the g it was made from.
        Tensor? cachedFor = null, cached = null;
        Tensor DScores(Tensor g)
        {
            if (ReferenceEquals(g, cachedFor)) return cached!;
            var dWeights = MatMul(g, v, transposeB: true);
            if (keep is not null) dWeights *= keep;
            cachedFor = g;
            return cached = ScoresGradient(weights, dWeights);
        }
        var result = GradientTape.Record(output, [q, k, v], (g, i) => i switch
        {
            0 => ToQuery(DScores(g)),
            1 => ToKey(DScores(g)),
            _ => SumTo(MatMul(keep is null ? weights : weights * keep, g, transposeA: true), v.Dims),
        });
        return (result, weights);
    }

    [ThreadStatic] private static Dictionary<(IBackend, int, int), Tensor>? _causalMasks;

    /// <summary>The bool [queries, keys] lower triangle (key j visible to query i when j ≤ i), made once per thread, device and size.</summary>
    private static Tensor CausalMask(int queries, int keys, IBackend backend)
    {
        var cache = _causalMasks ??= [];
        if (cache.TryGetValue((backend, queries, keys), out var mask)) return mask;
        mask = Full([queries, keys], 1, DType.Bool, backend.Device).Tril();
        if (cache.Count < 64) cache[(backend, queries, keys)] = mask;
        return mask;
    }
}
