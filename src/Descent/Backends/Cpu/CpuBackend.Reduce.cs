using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void Reduce(ReduceOp op, Storage x, Layout xLayout, int[] axes, Storage y)
    {
        switch (x.DType)
        {
            case DType.Float32: ReduceTyped<float>(op, x, xLayout, axes, Cpu(y).Array<float>()); break;
            case DType.Float64: ReduceTyped<double>(op, x, xLayout, axes, Cpu(y).Array<double>()); break;
            case DType.Int32: ReduceTyped<int>(op, x, xLayout, axes, Cpu(y).Array<int>()); break;
            case DType.Int64: ReduceTyped<long>(op, x, xLayout, axes, Cpu(y).Array<long>()); break;
            default: throw new ArgumentException($"{op}: not defined for bool tensors; cast them first.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReduceTyped<T>(ReduceOp op, Storage x, Layout layout, int[] axes, T[] y) where T : unmanaged, INumber<T>
    {
        int reduced = 1, kept = 1;
        for (int i = 0; i < layout.Rank; i++)
            if (Array.IndexOf(axes, i) >= 0) reduced *= layout.Dims[i];
            else kept *= layout.Dims[i];
        if (kept == 0) return;
        if (reduced == 0)
        {
            if (op != ReduceOp.Sum) throw new ArgumentException($"{op}: cannot reduce over an empty axis (shape {ShapeUtil.Format(layout.Dims)}).");
            Array.Clear(y, 0, kept);
            return;
        }
        if (IsLeadingAxes(axes) && layout.IsContiguous && kept > 1)
        {
            ReduceLeading(op, Cpu(x).Array<T>(), layout.Offset, reduced, kept, y);
            return;
        }
        // Move the reduced axes last, so each output reduces one contiguous run.
        var (data, offset) = IsTrailingAxes(axes, layout.Rank) && layout.IsContiguous
            ? (Cpu(x).Data, layout.Offset)
            : ContiguousArray(x, layout.Permute(ReducedLast(axes, layout.Rank)));
        var src = (T[])data;
        if (kept == 1)
        {
            y[0] = ReduceRun(op, src, offset, reduced);
            return;
        }
        Parallelism.For(kept, Math.Max(1, Parallelism.ElementThreshold / reduced), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (int i = s; i < e; i++) y[i] = ReduceSpan(op, src.AsSpan(offset + i * reduced, reduced));
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsTrailingAxes(int[] axes, int rank)
    {
        for (int i = 0; i < axes.Length; i++) if (axes[i] != rank - axes.Length + i) return false;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] ReducedLast(int[] axes, int rank)
    {
        var perm = new int[rank];
        int p = 0;
        for (int i = 0; i < rank; i++) if (Array.IndexOf(axes, i) < 0) perm[p++] = i;
        foreach (int a in axes) perm[p++] = a;
        return perm;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsLeadingAxes(int[] axes)
    {
        for (int i = 0; i < axes.Length; i++) if (axes[i] != i) return false;
        return true;
    }

    // Reducing the leading axes of contiguous data (a bias gradient summed over the batch) folds whole rows
    // together with SIMD; columns are split over threads, so each output's order of additions never changes.
    private static void ReduceLeading<T>(ReduceOp op, T[] x, int offset, int rows, int cols, T[] y) where T : unmanaged, INumber<T>
    {
        Parallelism.For(cols, Math.Max(256, Parallelism.ElementThreshold / rows), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            var acc = y.AsSpan(s, e - s);
            x.AsSpan(offset + s, e - s).CopyTo(acc);
            for (int r = 1; r < rows; r++)
            {
                var row = x.AsSpan(offset + r * cols + s, e - s);
                switch (op)
                {
                    case ReduceOp.Sum: TensorPrimitives.Add(acc, row, acc); break;
                    case ReduceOp.Max: TensorPrimitives.Max(acc, row, acc); break;
                    default: TensorPrimitives.Min(acc, row, acc); break;
                }
            }
        });
    }

    /// <summary>A full reduction of one run; long runs are cut into fixed chunks reduced in parallel and combined in order.</summary>
    private static T ReduceRun<T>(ReduceOp op, T[] src, int offset, int length) where T : unmanaged, INumber<T>
    {
        const int Chunk = 1 << 20;
        if (length <= Chunk) return ReduceSpan(op, src.AsSpan(offset, length));
        int chunks = (length + Chunk - 1) / Chunk;
        var partial = new T[chunks];
        Parallelism.For(chunks, 1, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (int c = s; c < e; c++)
                partial[c] = ReduceSpan(op, src.AsSpan(offset + c * Chunk, Math.Min(Chunk, length - c * Chunk)));
        });
        return ReduceSpan(op, partial);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T ReduceSpan<T>(ReduceOp op, ReadOnlySpan<T> run) where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case ReduceOp.Sum when run.Length < ShortRun:
                // Short sums run left to right, as NumPy's do below its pairwise block, so small results
                // (the article's five-point regression) can be reproduced exactly by hand.
                T total = T.Zero;
                foreach (var v in run) total += v;
                return total;
            case ReduceOp.Sum: return VectorSum.Sum(run);
            case ReduceOp.Max: return TensorPrimitives.Max(run);
            default: return TensorPrimitives.Min(run);
        }
    }

    private const int ShortRun = 16;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ArgReduce(ReduceOp op, Storage x, Layout xLayout, int axis, Storage y)
    {
        int dim = xLayout.Dims[axis];
        if (dim == 0) throw new ArgumentException($"Arg{op}: axis {axis} is empty (shape {ShapeUtil.Format(xLayout.Dims)}).");
        var perm = new int[xLayout.Rank];
        int p = 0;
        for (int i = 0; i < xLayout.Rank; i++) if (i != axis) perm[p++] = i;
        perm[p] = axis;
        var (data, offset) = ContiguousArray(x, xLayout.Permute(perm));
        var result = Cpu(y).Array<long>();
        int rows = xLayout.Size / dim;
        for (int r = 0; r < rows; r++)
        {
            int start = offset + r * dim;
            result[r] = data switch
            {
                float[] f => op == ReduceOp.Max ? TensorPrimitives.IndexOfMax(f.AsSpan(start, dim)) : TensorPrimitives.IndexOfMin(f.AsSpan(start, dim)),
                double[] d => op == ReduceOp.Max ? TensorPrimitives.IndexOfMax(d.AsSpan(start, dim)) : TensorPrimitives.IndexOfMin(d.AsSpan(start, dim)),
                int[] i => op == ReduceOp.Max ? TensorPrimitives.IndexOfMax(i.AsSpan(start, dim)) : TensorPrimitives.IndexOfMin(i.AsSpan(start, dim)),
                long[] l => op == ReduceOp.Max ? TensorPrimitives.IndexOfMax(l.AsSpan(start, dim)) : TensorPrimitives.IndexOfMin(l.AsSpan(start, dim)),
                _ => throw new ArgumentException($"Arg{op}: not defined for bool tensors."),
            };
        }
    }
}
