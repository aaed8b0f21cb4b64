namespace Descent.Cuda.Kernels;

/// <summary>Which product of the convolution an implicit GEMM computes.</summary>
internal enum ConvProduct { Forward, BackwardInput, BackwardFilter }

/// <summary>
/// Convolution as implicit GEMM: C[M, N] = Σ_k A[m, k]·B[k, n], where A and B are never built; each tile element is
/// read from the images and the kernel through the geometry (out-of-range pixels read as 0). A block computes a
/// 64×64 tile of C with 256 threads, 4×4 each, stepping through K 16 at a time through shared memory; the K loop can be
/// split across blocks (blockIdx.z) into partial tiles that <see cref="SumParts"/> adds in a fixed order.
/// <list type="bullet">
/// <item>Forward: m = (b, oh, ow), k = (i, j, ci), n = co; A = x at the window, B = w.</item>
/// <item>BackwardInput: m = (b, ih, iw), k = (i, j, co), n = ci; A = dy at the output pixel that put tap (i, j) on the input pixel, B = w[i, j, n, co].</item>
/// <item>BackwardFilter: m = (i, j, ci), k = (b, oh, ow), n = co; A = x at the window, B = dy.</item>
/// </list>
/// </summary>
internal static class ConvKernels
{
    public const int Tile = 64, Step = 16, Threads = 256;

    private static readonly string[] Geometry = ["B", "H", "W", "C", "KH", "KW", "CO", "SH", "SW", "DH", "DW", "PT", "PL", "HO", "WO"];

    /// <summary>The geometry's 15 integers as kernel parameters, in <see cref="Descent.Backends.Conv2DGeometry"/>'s order.</summary>
    public static IEnumerable<KernelParam> GeometryParams => Geometry.Select(KernelParam.Int);

    /// <summary>
    /// Parameters: M, N, K, kChunk, a, la (rank 4), b, lb (rank 4), c, then the geometry. c is the dtype, or the
    /// accumulator's partial tiles [gridDim.z, M, N] when <paramref name="split"/>.
    /// </summary>
    public static KernelSpec Gemm(ConvProduct product, DType dtype, bool split)
    {
        string t = CTypes.Of(dtype);
        var (loadA, loadB) = Loads(product);
        string helpers = $$"""
            __device__ __forceinline__ {{t}} load_a(const {{t}}* a, const Lay<4>& la, int m, int k, int B, int H, int W, int C, int KH, int KW, int CO, int SH, int SW, int DH, int DW, int PT, int PL, int HO, int WO)
            {
            {{CTypes.Indent(loadA)}}}
            __device__ __forceinline__ {{t}} load_b(const {{t}}* b, const Lay<4>& lb, int k, int n, int B, int H, int W, int C, int KH, int KW, int CO, int SH, int SW, int DH, int DW, int PT, int PL, int HO, int WO)
            {
            {{CTypes.Indent(loadB)}}}
            """;
        const string g = "B, H, W, C, KH, KW, CO, SH, SW, DH, DW, PT, PL, HO, WO";
        string body = $$"""
            __shared__ {{t}} As[{{Step}}][{{Tile}} + 1];
            __shared__ {{t}} Bs[{{Step}}][{{Tile}} + 1];
            int tx = threadIdx.x & 15, ty = threadIdx.x >> 4;
            int m0 = blockIdx.x * {{Tile}}, n0 = blockIdx.y * {{Tile}};
            int kBegin = blockIdx.z * kChunk, kEnd = K - kBegin < kChunk ? K : kBegin + kChunk;
            {{t}} acc[4][4];
            for (int u = 0; u < 4; u++) for (int v = 0; v < 4; v++) acc[u][v] = 0;
            for (int k0 = kBegin; k0 < kEnd; k0 += {{Step}})
            {
                for (int e = threadIdx.x; e < {{Tile * Step}}; e += {{Threads}})
                {
                    int mm = e / {{Step}}, kk = e % {{Step}}, m = m0 + mm, k = k0 + kk;
                    As[kk][mm] = (m < M && k < kEnd) ? load_a(a, la, m, k, {{g}}) : ({{t}})0;
                }
                for (int e = threadIdx.x; e < {{Tile * Step}}; e += {{Threads}})
                {
                    int kk = e / {{Tile}}, nn = e % {{Tile}}, k = k0 + kk, n = n0 + nn;
                    Bs[kk][nn] = (n < N && k < kEnd) ? load_b(b, lb, k, n, {{g}}) : ({{t}})0;
                }
                __syncthreads();
            #pragma unroll
                for (int kk = 0; kk < {{Step}}; kk++)
                {
                    {{t}} ra[4], rb[4];
                    for (int u = 0; u < 4; u++) ra[u] = As[kk][ty + 16 * u];
                    for (int v = 0; v < 4; v++) rb[v] = Bs[kk][tx + 16 * v];
                    for (int u = 0; u < 4; u++) for (int v = 0; v < 4; v++) acc[u][v] = fma(ra[u], rb[v], acc[u][v]);
                }
                __syncthreads();
            }
            for (int u = 0; u < 4; u++)
                for (int v = 0; v < 4; v++)
                {
                    int m = m0 + ty + 16 * u, n = n0 + tx + 16 * v;
                    if (m < M && n < N) c[((i64)blockIdx.z * M + m) * N + n] = acc[u][v];
                }
            """;
        var parameters = new List<KernelParam>
        {
            KernelParam.Int("M"), KernelParam.Int("N"), KernelParam.Int("K"), KernelParam.Int("kChunk"),
            KernelParam.In("a", t), KernelParam.Lay("la", 4), KernelParam.In("b", t), KernelParam.Lay("lb", 4), KernelParam.Out("c", t),
        };
        parameters.AddRange(GeometryParams);
        return new KernelSpec($"conv_{Tag(product)}_{CTypes.Tag(dtype)}{(split ? "_split" : "")}", parameters, body, helpers, Threads);
    }

    /// <summary>y[f] = Σ_s parts[s·size + f] for s = 0, 1, …, in that order. Parameters: size, count, parts, y.</summary>
    public static KernelSpec SumParts(DType dtype)
    {
        string t = CTypes.Of(dtype);
        return new KernelSpec($"sum_parts_{CTypes.Tag(dtype)}",
            [KernelParam.Int("size"), KernelParam.Int("count"), KernelParam.In("parts", t), KernelParam.Out("y", t)],
            CTypes.GridLoop("size", $"{t} acc = parts[i];\nfor (int s = 1; s < count; s++) acc += parts[(i64)s * size + i];\ny[i] = acc;"));
    }

    private static string Tag(ConvProduct product) => product switch
    {
        ConvProduct.Forward => "fwd",
        ConvProduct.BackwardInput => "bwd_input",
        _ => "bwd_filter",
    };

    // The element of each operand at (row, column) of the implicit matrices, through the geometry.
    private static (string A, string B) Loads(ConvProduct product) => product switch
    {
        ConvProduct.Forward => (
            """
            int ow = m % WO, oh = (m / WO) % HO, bb = m / WO / HO;
            int ci = k % C, j = (k / C) % KW, i = k / C / KW;
            int ih = oh * SH + i * DH - PT, iw = ow * SW + j * DW - PL;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) return 0;
            return a[la.off + bb * la.s[0] + ih * la.s[1] + iw * la.s[2] + ci * la.s[3]];
            """,
            """
            int ci = k % C, j = (k / C) % KW, i = k / C / KW;
            return b[lb.off + i * lb.s[0] + j * lb.s[1] + ci * lb.s[2] + n * lb.s[3]];
            """),
        ConvProduct.BackwardInput => (
            """
            int iw = m % W, ih = (m / W) % H, bb = m / W / H;
            int co = k % CO, j = (k / CO) % KW, i = k / CO / KW;
            int ph = ih + PT - i * DH, pw = iw + PL - j * DW;
            if (ph < 0 || pw < 0 || ph % SH != 0 || pw % SW != 0) return 0;
            int oh = ph / SH, ow = pw / SW;
            if (oh >= HO || ow >= WO) return 0;
            return a[la.off + bb * la.s[0] + oh * la.s[1] + ow * la.s[2] + co * la.s[3]];
            """,
            """
            int co = k % CO, j = (k / CO) % KW, i = k / CO / KW;
            return b[lb.off + i * lb.s[0] + j * lb.s[1] + n * lb.s[2] + co * lb.s[3]];
            """),
        _ => (
            """
            int ci = m % C, j = (m / C) % KW, i = m / C / KW;
            int ow = k % WO, oh = (k / WO) % HO, bb = k / WO / HO;
            int ih = oh * SH + i * DH - PT, iw = ow * SW + j * DW - PL;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) return 0;
            return a[la.off + bb * la.s[0] + ih * la.s[1] + iw * la.s[2] + ci * la.s[3]];
            """,
            """
            int ow = k % WO, oh = (k / WO) % HO, bb = k / WO / HO;
            return b[lb.off + bb * lb.s[0] + oh * lb.s[1] + ow * lb.s[2] + n * lb.s[3]];
            """),
    };

    /// <summary>
    /// A thread per output (b, oh, ow, c): the largest in-range input of its window (a NaN wins and stays; ties keep
    /// the first), and its index in x's contiguous order. Parameters: total, x, lx (rank 4), y, argmax, then the geometry.
    /// </summary>
    public static KernelSpec MaxPool(DType dtype)
    {
        string t = CTypes.Of(dtype);
        string body = """
            int c = i % C, ow = (i / C) % WO, oh = (i / C / WO) % HO, bb = i / C / WO / HO;
            T best = 0;
            int where = -1;
            for (int ki = 0; ki < KH; ki++)
                for (int kj = 0; kj < KW; kj++)
                {
                    int ih = oh * SH + ki * DH - PT, iw = ow * SW + kj * DW - PL;
                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                    T v = x[lx.off + bb * lx.s[0] + ih * lx.s[1] + iw * lx.s[2] + c * lx.s[3]];
                    if (where < 0 || v > best || (v != v && best == best)) { best = v; where = ((bb * H + ih) * W + iw) * C + c; }
                }
            y[i] = best;
            argmax[i] = where;
            """.Replace("T ", t + " ");
        var parameters = new List<KernelParam> { KernelParam.Int("total"), KernelParam.In("x", t), KernelParam.Lay("lx", 4), KernelParam.Out("y", t), KernelParam.Out("argmax", "int") };
        parameters.AddRange(GeometryParams);
        return new KernelSpec($"maxpool_{CTypes.Tag(dtype)}", parameters, CTypes.GridLoop("total", body));
    }
}
