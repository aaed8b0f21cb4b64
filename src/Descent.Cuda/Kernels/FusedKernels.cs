namespace Descent.Cuda.Kernels;

/// <summary>
/// The fused softmax cross-entropy: one pass over a row for its maximum and its sum of exponentials together (the
/// running sum is rescaled whenever the maximum grows), a fixed butterfly to combine the threads, and a second pass
/// for the gradient. Narrow rows get a warp each, wide ones a block.
/// </summary>
internal static class FusedKernels
{
    public const int XentThreads = 256;

    /// <summary>Rows up to this wide take a warp each; wider rows a whole block.</summary>
    public const int XentWarpColumns = 1024;

    /// <summary>
    /// loss[r] = logsumexp(row r) − row r[label r], and with hasGradient, gradient[r, c] = softmax(row r)[c] −
    /// (c == label r). Parameters: rows, cols, x, lx (a rank-2 layout), labels, ll, loss, gradient, hasGradient.
    /// </summary>
    public static KernelSpec SoftmaxCrossEntropy(DType dtype, DType labelType, bool warpPerRow)
    {
        string t = CTypes.Of(dtype), f = dtype == DType.Float32 ? "f" : "";
        string one = dtype == DType.Float32 ? "1.0f" : "1.0";
        string negInf = dtype == DType.Float32 ? "__int_as_float(0xff800000)" : "__longlong_as_double(0xfff0000000000000ll)";
        string nan = dtype == DType.Float32 ? "__int_as_float(0x7fc00000)" : "__longlong_as_double(0x7ff8000000000000ll)";
        string helpers = $$"""
            // Folds value v into the running (maximum m, sum s of exp(x - m)); -inf adds nothing.
            __device__ __forceinline__ void fold({{t}}& m, {{t}}& s, {{t}} v)
            {
                if (v > m) { s = s * exp{{f}}(m - v) + {{one}}; m = v; }
                else if (v != {{negInf}}) s += exp{{f}}(v - m);
            }
            // Combines two running pairs; the same butterfly on every run.
            __device__ __forceinline__ void merge({{t}}& m, {{t}}& s, {{t}} om, {{t}} os)
            {
                {{t}} nm = vmax(m, om);
                if (nm == {{negInf}}) { s = s + os; m = nm; return; }
                s = s * exp{{f}}(m - nm) + os * exp{{f}}(om - nm);
                m = nm;
            }
            """;
        string rowLoop = warpPerRow
            ? "int lane = threadIdx.x & 31, width = 32;\nfor (int row = (blockIdx.x * blockDim.x + threadIdx.x) >> 5; row < rows; row += (blockDim.x >> 5) * gridDim.x)"
            : "int lane = threadIdx.x, width = blockDim.x;\nfor (int row = blockIdx.x; row < rows; row += gridDim.x)";
        string combine = warpPerRow
            ? "for (int w = 16; w > 0; w >>= 1) merge(m, s, shfl(m, w), shfl(s, w));"
            : """
              for (int w = 16; w > 0; w >>= 1) merge(m, s, shfl(m, w), shfl(s, w));
              if ((lane & 31) == 0) { shm[lane >> 5] = m; shs[lane >> 5] = s; }
              __syncthreads();
              m = shm[0]; s = shs[0];
              for (int w = 1; w < (width >> 5); w++) merge(m, s, shm[w], shs[w]);
              __syncthreads();
              """;
        string body = $$"""
            {{(warpPerRow ? "" : $"__shared__ {t} shm[32];\n__shared__ {t} shs[32];")}}
            {{rowLoop}}
            {
                int base = lx.off + row * lx.s[0];
                {{t}} m = {{negInf}}, s = 0;
                for (int c = lane; c < cols; c += width) fold(m, s, x[base + c * lx.s[1]]);
            {{CTypes.Indent(combine)}}
                // A label outside [0, cols) gives a NaN loss instead of a read outside the row: the op's range check
                // reports it at the next read.
                i64 pick = (i64)labels[at<1>(ll, row)];
                int label = pick >= 0 && pick < cols ? (int)pick : -1;
                if (lane == 0) loss[row] = label >= 0 ? (m - x[base + label * lx.s[1]]) + log{{f}}(s) : {{nan}};
                if (hasGradient)
                {
                    {{t}} inv = {{one}} / s;
                    for (int c = lane; c < cols; c += width)
                    {
                        {{t}} g = exp{{f}}(x[base + c * lx.s[1]] - m) * inv;
                        gradient[(i64)row * cols + c] = c == label ? g - {{one}} : g;
                    }
                }
            }
            """;
        return new KernelSpec($"xent_{CTypes.Tag(dtype)}_{CTypes.Tag(labelType)}_{(warpPerRow ? "warp" : "block")}",
            [KernelParam.Int("rows"), KernelParam.Int("cols"), KernelParam.In("x", t), KernelParam.Lay("lx", 2),
             KernelParam.In("labels", CTypes.Of(labelType)), KernelParam.Lay("ll", 1), KernelParam.Out("loss", t), KernelParam.Out("gradient", t),
             KernelParam.Int("hasGradient")],
            body, helpers, XentThreads);
    }
}
