using System.Numerics;
using Descent.Backends;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

// Gather along an axis, and its adjoint, a deterministic (sort-based) scatter-add.
internal sealed partial class CudaBackend
{
    public void Gather(Storage x, Layout xLayout, int axis, Storage indices, Layout indicesLayout, Storage y)
    {
        var (input, picks, output) = (Own(x, "Gather"), Own(indices, "Gather"), Own(y, "Gather"));
        Expect("Gather", x.DType, y);
        if (!indices.DType.IsInteger()) throw new ArgumentException($"Gather: indices must be int32 or int64, got {indices.DType.Name()}.");
        int count = indicesLayout.Size, outer = Product(xLayout.Shape, 0, axis), inner = Product(xLayout.Shape, axis + 1, xLayout.Rank);
        long total = (long)outer * count * inner;
        if (total == 0) return;
        var lo = Strided.Part(xLayout, 0, axis, xLayout.Offset);
        var li = Strided.Part(xLayout, axis + 1, xLayout.Rank);
        var lp = Strided.Collapse(indicesLayout.Shape, indicesLayout)[0];
        var kernel = Kernel(new("gather", (int)x.DType, (int)indices.DType, lo.Rank, li.Rank, lp.Rank),
            static k => IndexKernels.Gather((DType)k.A, (DType)k.B, k.C, k.D, k.E));
        Launch(kernel, (int)total, KernelArgs.Start().Int((int)total).Int(count).Int(inner).Int(xLayout.Shape[axis]).Pointer(output).Pointer(input)
            .Layout(lo).Int(xLayout.Strides[axis]).Layout(li).Pointer(picks).Layout(lp), "Gather");
    }

    public void ScatterAdd(Storage updates, Layout updatesLayout, int axis, Storage indices, Layout indicesLayout, Storage y, int[] yShape)
    {
        var (source, picks, output) = (Own(updates, "ScatterAdd"), Own(indices, "ScatterAdd"), Own(y, "ScatterAdd"));
        if (!y.DType.IsFloat()) throw new ArgumentException($"ScatterAdd: updates must be float32 or float64, got {y.DType.Name()}.");
        Expect("ScatterAdd", y.DType, updates);
        if (!indices.DType.IsInteger()) throw new ArgumentException($"ScatterAdd: indices must be int32 or int64, got {indices.DType.Name()}.");
        int count = indicesLayout.Size, dim = yShape[axis];
        int outer = Product(yShape, 0, axis), inner = Product(yShape, axis + 1, yShape.Length);
        long total = (long)outer * dim * inner;
        if (count == 0 || total == 0) return;

        // Updates are [y's leading axes, the indices' axes, y's trailing axes]; the indices' axes must walk as one.
        int middle = indicesLayout.Rank;
        var step = Strided.Part(updatesLayout, axis, axis + middle);
        if (step.Rank != 1 && count > 1)
        {
            var packed = Scratch(updates.DType, updatesLayout.Size);
            var contiguous = Layout.Contiguous([.. updatesLayout.Shape]);
            Copy(source, updatesLayout, packed, contiguous);
            (source, updatesLayout) = (packed, contiguous);
            step = Strided.Part(updatesLayout, axis, axis + middle);
        }
        var lo = Strided.Part(updatesLayout, 0, axis, updatesLayout.Offset);
        var li = Strided.Part(updatesLayout, axis + middle, updatesLayout.Rank);
        var keys = SortedKeys(picks, indicesLayout, count);
        var start = Scratch(DType.Int32, dim);
        var end = Scratch(DType.Int32, dim);
        _gpu.Memset(start.Pointer, 0, start.Bytes, "ScatterAdd");
        _gpu.Memset(end.Pointer, 0, end.Bytes, "ScatterAdd");
        var bounds = Kernel(new("scatter_bounds"), static _ => IndexKernels.SegmentBounds());
        Launch(bounds, count, KernelArgs.Start().Int(count).Int(dim).Pointer(keys).Pointer(start).Pointer(end), "ScatterAdd");
        var add = Kernel(new("scatter_add", (int)y.DType, lo.Rank, li.Rank), static k => IndexKernels.ScatterAdd((DType)k.A, k.B, k.C));
        Launch(add, (int)total, KernelArgs.Start().Int((int)total).Int(dim).Int(inner).Pointer(output).Pointer(source)
            .Layout(lo).Int(step.Strides[0]).Layout(li).Pointer(keys).Pointer(start).Pointer(end), "ScatterAdd");
    }

    /// <summary>The keys index·2³² + position of every index, sorted ascending (bitonic: all-ones keys pad to a power of two).</summary>
    private CudaStorage SortedKeys(CudaStorage indices, Layout indicesLayout, int count)
    {
        const string op = "ScatterAdd";
        int padded = (int)Math.Max(2, BitOperations.RoundUpToPowerOf2((uint)count));
        var keys = Scratch(DType.Int64, padded);
        var lp = Strided.Collapse(indicesLayout.Shape, indicesLayout)[0];
        var make = Kernel(new("scatter_keys", (int)indices.DType, lp.Rank), static k => IndexKernels.SortKeys((DType)k.A, k.B));
        Launch(make, padded, KernelArgs.Start().Int(count).Int(padded).Pointer(keys).Pointer(indices).Layout(lp), op);

        // Stages whose partners lie within a block's 2·half keys run in shared memory, the rest one launch per step.
        int chunk = Math.Min(padded, 2 * IndexKernels.SortThreads), half = chunk / 2;
        uint blocks = (uint)(padded / chunk);
        var inBlock = Kernel(new("bitonic_block"), static _ => IndexKernels.BitonicBlock());
        var step = Kernel(new("bitonic_step"), static _ => IndexKernels.BitonicStep());
        void Block(int kFrom, int kTo)
        {
            var args = KernelArgs.Start().Pointer(keys).Int(kFrom).Int(kTo);
            _gpu.Launch(inBlock, (blocks, 1, 1), (uint)half, (uint)(chunk * sizeof(ulong)), args, op);
            args.Clear();
        }
        Block(2, chunk);
        for (int k = 2 * chunk; k <= padded; k <<= 1)
        {
            for (int j = k / 2; j >= chunk; j >>= 1)
                Launch(step, padded, KernelArgs.Start().Int(padded).Pointer(keys).Int(j).Int(k), op);
            Block(k, k);
        }
        return keys;
    }

    private static int Product(IReadOnlyList<int> shape, int from, int to)
    {
        int product = 1;
        for (int i = from; i < to; i++) product *= shape[i];
        return product;
    }
}
