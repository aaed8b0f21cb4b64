namespace Descent.Cuda.Kernels;

/// <summary>
/// Gather, and a deterministic scatter-add. Scatter-add sorts the (index, position) pairs instead of adding with
/// atomics: keys index·2³² + position are unique, so a bitonic sort orders them by index and, within an index, by
/// position; each output element then adds its updates in increasing position, starting from its own value. That is
/// the CPU's order of additions, so the result has the CPU's bits, and it never depends on timing.
/// </summary>
internal static class IndexKernels
{
    /// <summary>Threads per block of the shared-memory sort; a block sorts 2·this keys.</summary>
    public const int SortThreads = 1024;

    /// <summary>
    /// y[f] = x[lo(o) + idx[lp(p)]·step + li(r)] for f = (o·count + p)·inner + r, and 0 where the index is outside
    /// [0, size), as TensorFlow's GPU gather gives: the op's range check reports it at the next read, and meanwhile
    /// the kernel must not read outside x. Parameters: total, count, inner, size, y, x, lo, step, li, idx, lp.
    /// </summary>
    public static KernelSpec Gather(DType dtype, DType indexType, int outerRank, int innerRank, int indexRank)
    {
        string t = CTypes.Of(dtype);
        string body = $$"""
            int r = i % inner, p = (i / inner) % count, o = i / inner / count;
            i64 pick = (i64)idx[at<{{indexRank}}>(lp, p)];
            y[i] = pick >= 0 && pick < size ? x[at<{{outerRank}}>(lo, o) + (int)pick * step + at<{{innerRank}}>(li, r)] : ({{t}})0;
            """;
        return new KernelSpec($"gather_{CTypes.Tag(dtype)}_{CTypes.Tag(indexType)}_o{outerRank}_i{innerRank}_p{indexRank}",
            [KernelParam.Int("total"), KernelParam.Int("count"), KernelParam.Int("inner"), KernelParam.Int("size"), KernelParam.Out("y", t),
             KernelParam.In("x", t), KernelParam.Lay("lo", outerRank), KernelParam.Int("step"), KernelParam.Lay("li", innerRank),
             KernelParam.In("idx", CTypes.Of(indexType)), KernelParam.Lay("lp", indexRank)],
            CTypes.GridLoop("total", body));
    }

    /// <summary>keys[k] = idx[lp(k)]·2³² + k for k &lt; count, and all ones (sorting last) up to the padded length. Parameters: count, padded, keys, idx, lp.</summary>
    public static KernelSpec SortKeys(DType indexType, int indexRank) =>
        new($"scatter_keys_{CTypes.Tag(indexType)}_p{indexRank}",
            [KernelParam.Int("count"), KernelParam.Int("padded"), KernelParam.Out("keys", "u64"), KernelParam.In("idx", CTypes.Of(indexType)), KernelParam.Lay("lp", indexRank)],
            CTypes.GridLoop("padded", $"keys[i] = i < count ? (((u64)(u32)idx[at<{indexRank}>(lp, i)]) << 32) | (u64)(u32)i : ~0ull;"));

    /// <summary>One step (j, k) of the bitonic sort across the whole array, for the steps whose partners lie in different blocks. Parameters: padded, keys, j, k.</summary>
    public static KernelSpec BitonicStep() =>
        new("bitonic_step",
            [KernelParam.Int("padded"), KernelParam.Out("keys", "u64"), KernelParam.Int("j"), KernelParam.Int("k")],
            CTypes.GridLoop("padded", """
                int l = i ^ j;
                if (l > i)
                {
                    u64 a = keys[i], b = keys[l];
                    bool up = (i & k) == 0;
                    if ((a > b) == up) { keys[i] = b; keys[l] = a; }
                }
                """));

    /// <summary>
    /// The bitonic stages k = kFrom, 2·kFrom, …, kTo restricted to steps j ≤ blockDim.x, in shared memory: each block
    /// owns 2·blockDim.x consecutive keys. Parameters: keys, kFrom, kTo; dynamic shared memory 16·blockDim.x bytes.
    /// </summary>
    public static KernelSpec BitonicBlock() =>
        new("bitonic_block",
            [KernelParam.Out("keys", "u64"), KernelParam.Int("kFrom"), KernelParam.Int("kTo")],
            """
            extern __shared__ u64 s[];
            int half = blockDim.x, t = threadIdx.x;
            i64 base = (i64)blockIdx.x * 2 * half;
            s[t] = keys[base + t];
            s[t + half] = keys[base + t + half];
            __syncthreads();
            for (int k = kFrom; k <= kTo; k <<= 1)
                for (int j = (k >> 1) < half ? (k >> 1) : half; j > 0; j >>= 1)
                {
                    int i = 2 * t - (t & (j - 1)), l = i + j;
                    bool up = ((base + i) & k) == 0;
                    u64 a = s[i], b = s[l];
                    if ((a > b) == up) { s[i] = b; s[l] = a; }
                    __syncthreads();
                }
            keys[base + t] = s[t];
            keys[base + t + half] = s[t + half];
            """, maxThreads: SortThreads);

    /// <summary>
    /// From the sorted keys, the run [start[d], end[d]) of positions whose index is d (both zeroed first, so an index no
    /// key has is empty). Indices outside [0, dim) (negative ones sort as large) are left out, as TensorFlow's GPU
    /// scatter leaves them: the op's range check reports them at the next read. Parameters: count, dim, keys, start, end.
    /// </summary>
    public static KernelSpec SegmentBounds() =>
        new("scatter_bounds",
            [KernelParam.Int("count"), KernelParam.Int("dim"), KernelParam.In("keys", "u64"), KernelParam.Out("start", "int"), KernelParam.Out("end", "int")],
            CTypes.GridLoop("count", """
                u32 d = (u32)(keys[i] >> 32);
                if (d >= (u32)dim) continue;
                if (i == 0 || (u32)(keys[i - 1] >> 32) != d) start[d] = i;
                if (i == count - 1 || (u32)(keys[i + 1] >> 32) != d) end[d] = i + 1;
                """));

    /// <summary>
    /// y[f] += Σ updates[lo(o) + p·step + li(r)] over the positions p of index d in increasing order, for
    /// f = (o·dim + d)·inner + r; each sum starts from y[f] and is rounded after every addition, as on the CPU.
    /// Parameters: total, dim, inner, y, u, lo, step, li, keys, start, end.
    /// </summary>
    public static KernelSpec ScatterAdd(DType dtype, int outerRank, int innerRank)
    {
        string t = CTypes.Of(dtype);
        string body = $$"""
            int r = i % inner, d = (i / inner) % dim, o = i / inner / dim;
            int from = start[d], to = end[d];
            if (from < to)
            {
                int origin = at<{{outerRank}}>(lo, o) + at<{{innerRank}}>(li, r);
                {{t}} acc = y[i];
                for (int q = from; q < to; q++) acc = acc + u[origin + (int)(u32)keys[q] * step];
                y[i] = acc;
            }
            """;
        return new KernelSpec($"scatter_add_{CTypes.Tag(dtype)}_o{outerRank}_i{innerRank}",
            [KernelParam.Int("total"), KernelParam.Int("dim"), KernelParam.Int("inner"), KernelParam.Out("y", t), KernelParam.In("u", t),
             KernelParam.Lay("lo", outerRank), KernelParam.Int("step"), KernelParam.Lay("li", innerRank),
             KernelParam.In("keys", "u64"), KernelParam.In("start", "int"), KernelParam.In("end", "int")],
            CTypes.GridLoop("total", body));
    }
}
