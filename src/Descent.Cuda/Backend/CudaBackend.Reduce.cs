using Descent.Backends;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

// Reductions: the input seen as [kept axes..., reduced axes...], each group collapsed on its own.
internal sealed partial class CudaBackend
{
    /// <summary>Reductions this short run a thread per output, in sequence.</summary>
    private const int SequentialRun = 32;

    /// <summary>Elements per block in a chunked reduction, and the most blocks one spreads over.</summary>
    private const int Chunk = 16384, MaxBlocks = 2048;

    public void Reduce(ReduceOp op, Storage x, Layout xLayout, int[] axes, Storage y)
    {
        var (input, output) = (Own(x, $"{op}"), Own(y, $"{op}"));
        Expect($"{op}", x.DType, y);
        if (x.DType == DType.Bool) throw new ArgumentException($"{op}: not defined for bool tensors; cast them first.");
        var (keptLayout, reducedLayout, kept, reduced) = Split(xLayout, axes);
        if (kept == 0) return;
        if (reduced == 0)
        {
            if (op != ReduceOp.Sum) throw new ArgumentException($"{op}: cannot reduce over an empty axis (shape {Format(xLayout.Shape)}).");
            _gpu.Memset(output.Pointer, 0, (long)kept * CTypes.Size(y.DType), $"{op}");
            return;
        }
        if (reduced <= SequentialRun)
        {
            var sequential = Kernel(new("reduce_seq", (int)op, (int)x.DType, keptLayout.Rank, reducedLayout.Rank),
                static k => ReduceKernels.Threads((ReduceOp)k.A, (DType)k.B, k.C, k.D));
            Launch(sequential, kept, KernelArgs.Start().Int(kept).Int(reduced).Pointer(input).Layout(keptLayout).Layout(reducedLayout).Pointer(output), $"{op}");
            return;
        }
        // Few outputs over long runs are cut into chunks, so the whole device works; the count depends on the sizes
        // only, so the order of additions (and the bits) does too.
        int parts = kept >= 256 ? 1 : (int)Math.Clamp((reduced + Chunk - 1L) / Chunk, 1, Math.Max(1, MaxBlocks / kept));
        int chunk = (int)((reduced + (long)parts - 1) / parts);
        uint keptBlocks = (uint)Math.Min(kept, 65535);
        if (parts == 1)
        {
            var whole = Kernel(new("reduce", (int)op, (int)x.DType, keptLayout.Rank, reducedLayout.Rank),
                static k => ReduceKernels.Blocks((ReduceOp)k.A, (DType)k.B, k.C, k.D, partial: false));
            var args = KernelArgs.Start().Int(kept).Int(reduced).Int(chunk).Int(1).Pointer(input).Layout(keptLayout).Layout(reducedLayout).Pointer(output);
            _gpu.Launch(whole, (keptBlocks, 1, 1), ReduceKernels.BlockThreads, 0, args, $"{op}");
            args.Clear();
            return;
        }
        var accumulator = ReduceKernels.For(op, x.DType);
        var partials = Scratch(accumulator.Type is "double" or "u64" or "i64" ? DType.Int64 : DType.Int32, kept * parts);
        var first = Kernel(new("reduce_part", (int)op, (int)x.DType, keptLayout.Rank, reducedLayout.Rank),
            static k => ReduceKernels.Blocks((ReduceOp)k.A, (DType)k.B, k.C, k.D, partial: true));
        var firstArgs = KernelArgs.Start().Int(kept).Int(reduced).Int(chunk).Int(parts).Pointer(input).Layout(keptLayout).Layout(reducedLayout).Pointer(partials);
        _gpu.Launch(first, (keptBlocks, (uint)parts, 1), ReduceKernels.BlockThreads, 0, firstArgs, $"{op}");
        firstArgs.Clear();
        var second = Kernel(new("reduce_of_parts", (int)op, (int)x.DType),
            static k => ReduceKernels.Blocks((ReduceOp)k.A, (DType)k.B, 1, 1, partial: false, fromPartials: true));
        var secondArgs = KernelArgs.Start().Int(kept).Int(parts).Int(parts).Int(1).Pointer(partials)
            .Layout(new Strided(0, [kept], [parts])).Layout(new Strided(0, [parts], [1])).Pointer(output);
        _gpu.Launch(second, (keptBlocks, 1, 1), ReduceKernels.BlockThreads, 0, secondArgs, $"{op}");
        secondArgs.Clear();
    }

    public void ArgReduce(ReduceOp op, Storage x, Layout xLayout, int axis, Storage y)
    {
        var (input, output) = (Own(x, $"Arg{op}"), Own(y, $"Arg{op}"));
        Expect($"Arg{op}", DType.Int64, y);
        int dim = xLayout.Shape[axis];
        if (dim == 0) throw new ArgumentException($"Arg{op}: axis {axis} is empty (shape {Format(xLayout.Shape)}).");
        if (x.DType == DType.Bool) throw new ArgumentException($"Arg{op}: not defined for bool tensors.");
        var (keptLayout, _, kept, _) = Split(xLayout, [axis]);
        if (kept == 0) return;
        var kernel = Kernel(new("arg", (int)op, (int)x.DType, keptLayout.Rank), static k => ReduceKernels.Arg((ReduceOp)k.A, (DType)k.B, k.C));
        var args = KernelArgs.Start().Int(kept).Int(dim).Pointer(input).Layout(keptLayout).Int(xLayout.Strides[axis]).Pointer(output);
        _gpu.Launch(kernel, (Blocks(kept * 32L, ReduceKernels.BlockThreads), 1, 1), ReduceKernels.BlockThreads, 0, args, $"Arg{op}");
        args.Clear();
    }

    /// <summary>
    /// The kept axes (in order, carrying the layout's offset) and the reduced ones, each collapsed on its own, with
    /// their element counts: output j of a reduction reads x[kept(j) + reduced(r)] for every r.
    /// </summary>
    private static (Strided Kept, Strided Reduced, int KeptCount, int ReducedCount) Split(Layout layout, int[] axes)
    {
        var keptDims = new List<int>();
        var keptStrides = new List<int>();
        var reducedDims = new List<int>();
        var reducedStrides = new List<int>();
        for (int a = 0; a < layout.Rank; a++)
        {
            bool reduced = Array.IndexOf(axes, a) >= 0;
            (reduced ? reducedDims : keptDims).Add(layout.Shape[a]);
            (reduced ? reducedStrides : keptStrides).Add(layout.Strides[a]);
        }
        int keptCount = keptDims.Aggregate(1, (p, d) => p * d), reducedCount = reducedDims.Aggregate(1, (p, d) => p * d);
        var kept = Strided.Collapse(keptDims, [keptStrides], [layout.Offset])[0];
        var red = Strided.Collapse(reducedDims, [reducedStrides], [0])[0];
        return (kept, red, keptCount, reducedCount);
    }

    private static string Format(IReadOnlyList<int> shape) => "[" + string.Join(",", shape) + "]";
}
