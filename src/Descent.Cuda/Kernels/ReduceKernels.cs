using Descent.Backends;

namespace Descent.Cuda.Kernels;

/// <summary>
/// Reductions over axes, and arg-reductions along one axis. Every order of combination is fixed by the sizes alone:
/// a thread folds its elements in sequence, then a block (or warp) combines its threads with the same butterfly of
/// shuffles every time, and long rows are cut into chunks whose partial results a second pass combines in order. No
/// atomics, so the bits are the same from run to run. Float32 sums accumulate in double and are rounded once.
/// </summary>
internal static class ReduceKernels
{
    /// <summary>Threads per block of the block-per-output kernels.</summary>
    public const int BlockThreads = 256;

    /// <summary>The accumulator of one (op, dtype): its C type, start value, how an element enters it and how two combine.</summary>
    internal readonly record struct Accumulator(string Type, string Init, Func<string, string> Load, Func<string, string, string> Combine, Func<string, string> Store);

    public static Accumulator For(ReduceOp op, DType dtype)
    {
        string t = CTypes.Of(dtype);
        if (op == ReduceOp.Sum) return dtype switch
        {
            DType.Float32 => new("double", "0.0", x => $"(double){x}", (a, b) => $"{a} + {b}", a => $"__double2float_rn({a})"),
            DType.Float64 => new("double", "0.0", x => x, (a, b) => $"{a} + {b}", a => a),
            // Integer sums wrap; unsigned arithmetic makes that defined, and wrapping is order-independent anyway.
            DType.Int32 => new("u32", "0u", x => $"(u32){x}", (a, b) => $"{a} + {b}", a => $"(int){a}"),
            DType.Int64 => new("u64", "0ull", x => $"(u64){x}", (a, b) => $"{a} + {b}", a => $"(i64){a}"),
            _ => throw new ArgumentException($"{op}: not defined for bool tensors; cast them first."),
        };
        string fn = op == ReduceOp.Max ? "vmax" : "vmin";
        string init = (op, dtype) switch
        {
            (ReduceOp.Max, DType.Float32) => "__int_as_float(0xff800000)",         // -inf
            (ReduceOp.Min, DType.Float32) => "__int_as_float(0x7f800000)",         // +inf
            (ReduceOp.Max, DType.Float64) => "__longlong_as_double(0xfff0000000000000ll)",
            (ReduceOp.Min, DType.Float64) => "__longlong_as_double(0x7ff0000000000000ll)",
            (ReduceOp.Max, DType.Int32) => "(int)0x80000000",
            (ReduceOp.Min, DType.Int32) => "0x7fffffff",
            (ReduceOp.Max, DType.Int64) => "(i64)0x8000000000000000ull",
            (ReduceOp.Min, DType.Int64) => "0x7fffffffffffffffll",
            _ => throw new ArgumentException($"{op}: not defined for bool tensors; cast them first."),
        };
        return new(t, init, x => x, (a, b) => $"{fn}({a}, {b})", a => a);
    }

    private static string Name(ReduceOp op) => op.ToString().ToLowerInvariant();

    /// <summary>
    /// One block per (output j, chunk p): the block reduces elements [p·chunk, min(red, (p+1)·chunk)) of output j,
    /// which sit at x[lk(j) + lr(r)], and writes y[j·parts + p]. With <paramref name="partial"/> y holds the
    /// accumulator type, for a second pass of this kernel with <paramref name="fromPartials"/>, which reads them; else
    /// the dtype. Parameters: kept, red, chunk, parts, x, lk, lr, y.
    /// </summary>
    public static KernelSpec Blocks(ReduceOp op, DType dtype, int keptRank, int reducedRank, bool partial, bool fromPartials = false)
    {
        var acc = For(op, dtype);
        string t = CTypes.Of(dtype), input = fromPartials ? acc.Type : t;
        Func<string, string> load = fromPartials ? x => x : acc.Load;
        string helpers = BlockReduce(acc, $"block_{Name(op)}_{CTypes.Tag(dtype)}");
        string body = $$"""
            __shared__ {{acc.Type}} sh[32];
            int begin = blockIdx.y * chunk, end = red - begin < chunk ? red : begin + chunk;
            for (int j = blockIdx.x; j < kept; j += gridDim.x)
            {
                int base = at<{{keptRank}}>(lk, j);
                {{acc.Type}} acc = {{acc.Init}};
                for (int r = begin + threadIdx.x; r < end; r += blockDim.x)
                    acc = {{acc.Combine("acc", load($"x[base + at<{reducedRank}>(lr, r)]"))}};
                acc = block_{{Name(op)}}_{{CTypes.Tag(dtype)}}(acc, sh);
                if (threadIdx.x == 0) y[(i64)j * parts + blockIdx.y] = {{(partial ? "acc" : acc.Store("acc"))}};
            }
            """;
        return new KernelSpec($"reduce_{Name(op)}_{CTypes.Tag(dtype)}_k{keptRank}_r{reducedRank}{(fromPartials ? "_of_parts" : "")}{(partial ? "_part" : "")}",
            [KernelParam.Int("kept"), KernelParam.Int("red"), KernelParam.Int("chunk"), KernelParam.Int("parts"),
             KernelParam.In("x", input), KernelParam.Lay("lk", keptRank), KernelParam.Lay("lr", reducedRank), KernelParam.Out("y", partial ? acc.Type : t)],
            body, helpers, BlockThreads);
    }

    /// <summary>A thread per output, folding its few elements in sequence: short reductions (and a bias gradient's columns) read coalesced this way. Parameters: kept, red, x, lk, lr, y.</summary>
    public static KernelSpec Threads(ReduceOp op, DType dtype, int keptRank, int reducedRank)
    {
        var acc = For(op, dtype);
        string t = CTypes.Of(dtype);
        string body = $$"""
            int base = at<{{keptRank}}>(lk, i);
            {{acc.Type}} acc = {{acc.Init}};
            for (int r = 0; r < red; r++) acc = {{acc.Combine("acc", acc.Load($"x[base + at<{reducedRank}>(lr, r)]"))}};
            y[i] = {{acc.Store("acc")}};
            """;
        return new KernelSpec($"reduce_{Name(op)}_{CTypes.Tag(dtype)}_k{keptRank}_r{reducedRank}_seq",
            [KernelParam.Int("kept"), KernelParam.Int("red"), KernelParam.In("x", t), KernelParam.Lay("lk", keptRank), KernelParam.Lay("lr", reducedRank), KernelParam.Out("y", t)],
            CTypes.GridLoop("kept", body));
    }

    // The same butterfly every time: within each warp, then warp 0 over the warps' results (in shared memory).
    private static string BlockReduce(Accumulator acc, string name) => $$"""
        __device__ __forceinline__ {{acc.Type}} {{name}}({{acc.Type}} v, {{acc.Type}}* sh)
        {
            for (int m = 16; m > 0; m >>= 1) v = {{acc.Combine("v", "shfl(v, m)")}};
            int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
            if (lane == 0) sh[warp] = v;
            __syncthreads();
            if (warp == 0)
            {
                v = lane < warps ? sh[lane] : {{acc.Init}};
                for (int m = 16; m > 0; m >>= 1) v = {{acc.Combine("v", "shfl(v, m)")}};
            }
            __syncthreads();
            return v;
        }
        """;

    /// <summary>
    /// A warp per output row: the int64 index of the first maximum (or minimum) of x[lk(j) + r·step], r in [0, dim).
    /// A NaN beats every number and the first NaN wins; +0 counts as above −0 (TensorPrimitives.IndexOfMax's rule).
    /// Selection with an index tie-break is independent of the order of combination. Parameters: kept, dim, x, lk, step, y.
    /// </summary>
    public static KernelSpec Arg(ReduceOp op, DType dtype, int keptRank)
    {
        if (dtype == DType.Bool) throw new ArgumentException($"Arg{op}: not defined for bool tensors.");
        string t = CTypes.Of(dtype);
        string below = dtype.IsFloat() ? "(a < b || (a == b && negative(a) && !negative(b)))" : "(a < b)";
        string nan = dtype.IsFloat() ? "v != v" : "false";
        string bestNan = dtype.IsFloat() ? "bv != bv" : "false";
        string wins = op == ReduceOp.Max ? "below(bv, v)" : "below(v, bv)";
        string loses = op == ReduceOp.Max ? "below(v, bv)" : "below(bv, v)";
        string helpers = $$"""
            __device__ __forceinline__ bool below({{t}} a, {{t}} b) { return {{below}}; }
            // Whether candidate (v, i) displaces the best so far (bv, bi); bi < 0 means none yet.
            __device__ __forceinline__ bool better({{t}} v, int i, {{t}} bv, int bi)
            {
                if (i < 0) return false;
                if (bi < 0) return true;
                if ({{bestNan}}) return ({{nan}}) && i < bi;
                if ({{nan}}) return true;
                if ({{wins}}) return true;
                if ({{loses}}) return false;
                return i < bi;
            }
            """;
        string body = $$"""
            int lane = threadIdx.x & 31;
            int warps = (blockDim.x >> 5) * gridDim.x;
            for (int j = (blockIdx.x * blockDim.x + threadIdx.x) >> 5; j < kept; j += warps)
            {
                int base = at<{{keptRank}}>(lk, j);
                {{t}} bv = 0;
                int bi = -1;
                for (int r = lane; r < dim; r += 32)
                {
                    {{t}} v = x[base + r * step];
                    if (better(v, r, bv, bi)) { bv = v; bi = r; }
                }
                for (int m = 16; m > 0; m >>= 1)
                {
                    {{t}} ov = shfl(bv, m);
                    int oi = shfl(bi, m);
                    if (better(ov, oi, bv, bi)) { bv = ov; bi = oi; }
                }
                if (lane == 0) y[j] = (i64)bi;
            }
            """;
        return new KernelSpec($"arg{Name(op)}_{CTypes.Tag(dtype)}_k{keptRank}",
            [KernelParam.Int("kept"), KernelParam.Int("dim"), KernelParam.In("x", t), KernelParam.Lay("lk", keptRank), KernelParam.Int("step"), KernelParam.Out("y", "i64")],
            body, helpers, BlockThreads);
    }
}
