using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void Copy(Storage src, Layout srcLayout, Storage dst, Layout dstLayout)
    {
        switch (src.DType)
        {
            case DType.Float32: CopyTyped(Cpu(src).Array<float>(), srcLayout, Cpu(dst).Array<float>(), dstLayout); break;
            case DType.Float64: CopyTyped(Cpu(src).Array<double>(), srcLayout, Cpu(dst).Array<double>(), dstLayout); break;
            case DType.Int32: CopyTyped(Cpu(src).Array<int>(), srcLayout, Cpu(dst).Array<int>(), dstLayout); break;
            case DType.Int64: CopyTyped(Cpu(src).Array<long>(), srcLayout, Cpu(dst).Array<long>(), dstLayout); break;
            case DType.Bool: CopyTyped(Cpu(src).Array<bool>(), srcLayout, Cpu(dst).Array<bool>(), dstLayout); break;
        }
    }

    private static void CopyTyped<T>(T[] src, Layout ls, T[] dst, Layout ld)
    {
        if (ls.IsContiguous && ld.IsContiguous)
        {
            Array.Copy(src, ls.Offset, dst, ld.Offset, ls.Size);
            return;
        }
        var plan = new RowPlan(ls.Shape, ls, ld);
        int ss = plan.InnerStrides[0], sd = plan.InnerStrides[1];
        plan.Run([MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, col, count, starts) =>
        {
            int os = starts[0] + col * ss, od = starts[1] + col * sd;
            if (ss == 1 && sd == 1) src.AsSpan(os, count).CopyTo(dst.AsSpan(od, count));
            else if (ss == 0 && sd == 1) dst.AsSpan(od, count).Fill(src[os]);
            else
                for (int j = 0; j < count; j++) dst[od + j * sd] = src[os + j * ss];
        });
    }

    /// <inheritdoc/>
    public void Fill(Storage dst, Layout dstLayout, double value)
    {
        switch (dst.DType)
        {
            case DType.Float32: FillTyped(Cpu(dst).Array<float>(), dstLayout, (float)value); break;
            case DType.Float64: FillTyped(Cpu(dst).Array<double>(), dstLayout, value); break;
            case DType.Int32: FillTyped(Cpu(dst).Array<int>(), dstLayout, checked((int)value)); break;
            case DType.Int64: FillTyped(Cpu(dst).Array<long>(), dstLayout, checked((long)value)); break;
            case DType.Bool: FillTyped(Cpu(dst).Array<bool>(), dstLayout, value != 0); break;
        }
    }

    private static void FillTyped<T>(T[] dst, Layout ld, T value)
    {
        if (ld.IsContiguous)
        {
            dst.AsSpan(ld.Offset, ld.Size).Fill(value);
            return;
        }
        var plan = new RowPlan(ld.Shape, ld);
        int sd = plan.InnerStrides[0];
        plan.Run([MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, col, count, starts) =>
        {
            int od = starts[0] + col * sd;
            if (sd == 1) dst.AsSpan(od, count).Fill(value);
            else
                for (int j = 0; j < count; j++) dst[od + j * sd] = value;
        });
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Cast(Storage x, Layout xLayout, Storage y)
    {
        if (x.DType == y.DType)
        {
            Copy(x, xLayout, y, Layout.Contiguous(xLayout.Dims));
            return;
        }
        var (source, offset) = ContiguousArray(x, xLayout);
        int n = xLayout.Size;
        var dst = Cpu(y).Data;
        switch (source)
        {
            case float[] f: CastFrom(f.AsSpan(offset, n), dst); break;
            case double[] d: CastFrom(d.AsSpan(offset, n), dst); break;
            case int[] i: CastFrom(i.AsSpan(offset, n), dst); break;
            case long[] l: CastFrom(l.AsSpan(offset, n), dst); break;
            case bool[] b:
                var bytes = new byte[n];
                for (int k = 0; k < n; k++) bytes[k] = b[offset + k] ? (byte)1 : (byte)0;
                CastFrom<byte>(bytes, dst);
                break;
        }
    }

    // Float to integer truncates toward zero, as TensorFlow's cast does; anything non-zero is true.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CastFrom<TFrom>(ReadOnlySpan<TFrom> x, Array dst) where TFrom : unmanaged, INumber<TFrom>
    {
        switch (dst)
        {
            case float[] f: TensorPrimitives.ConvertTruncating(x, f.AsSpan(0, x.Length)); break;
            case double[] d: TensorPrimitives.ConvertTruncating(x, d.AsSpan(0, x.Length)); break;
            case int[] i: TensorPrimitives.ConvertTruncating(x, i.AsSpan(0, x.Length)); break;
            case long[] l: TensorPrimitives.ConvertTruncating(x, l.AsSpan(0, x.Length)); break;
            case bool[] b:
                for (int k = 0; k < x.Length; k++) b[k] = x[k] != TFrom.Zero;
                break;
        }
    }

    /// <summary>The data as one contiguous run: the storage itself when the layout allows, else a packed copy.</summary>
    internal (Array Data, int Offset) ContiguousArray(Storage x, Layout layout)
    {
        if (layout.IsContiguous) return (Cpu(x).Data, layout.Offset);
        // Not from the pool: only the bare array leaves this method, so a pooled storage could be finalized,
        // and its array handed to another op, while the caller still reads it.
        var copy = CpuStorage.Allocate(x.DType, layout.Size, zeroed: false, pool: null);
        Copy(x, layout, copy, Layout.Contiguous(layout.Dims));
        return (copy.Data, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[] IndexArray(Storage indices, Layout layout)
    {
        var (data, offset) = ContiguousArray(indices, layout);
        int n = layout.Size;
        var result = new int[n];
        switch (data)
        {
            case int[] i: Array.Copy(i, offset, result, 0, n); break;
            case long[] l:
                for (int k = 0; k < n; k++) result[k] = checked((int)l[offset + k]);
                break;
            default: throw new ArgumentException($"Gather: indices must be int32 or int64, got {indices.DType.Name()}.");
        }
        return result;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Gather(Storage x, Layout xLayout, int axis, Storage indices, Layout indicesLayout, Storage y)
    {
        var (data, offset) = ContiguousArray(x, xLayout);
        var idx = IndexArray(indices, indicesLayout);
        var (outer, dim, inner) = Split(xLayout.Dims, axis);
        var dst = Cpu(y).Data;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < idx.Length; i++)
                Array.Copy(data, offset + (o * dim + idx[i]) * inner, dst, (o * idx.Length + i) * inner, inner);
    }

    /// <inheritdoc/>
    public void ScatterAdd(Storage updates, Layout updatesLayout, int axis, Storage indices, Layout indicesLayout, Storage y, int[] yShape)
    {
        var idx = IndexArray(indices, indicesLayout);
        var (outer, dim, inner) = Split(yShape, axis);
        var (data, offset) = ContiguousArray(updates, updatesLayout);
        switch (y.DType)
        {
            case DType.Float32: ScatterAddTyped((float[])data, offset, idx, Cpu(y).Array<float>(), outer, dim, inner); break;
            case DType.Float64: ScatterAddTyped((double[])data, offset, idx, Cpu(y).Array<double>(), outer, dim, inner); break;
            default: throw new ArgumentException($"ScatterAdd: updates must be float32 or float64, got {y.DType.Name()}.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScatterAddTyped<T>(T[] updates, int offset, int[] idx, T[] y, int outer, int dim, int inner) where T : INumber<T>
    {
        if (inner == 1)
        {
            // Single elements (max pooling's gradient): a span call per element would cost more than the add.
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < idx.Length; i++) y[o * dim + idx[i]] += updates[offset + o * idx.Length + i];
            return;
        }
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < idx.Length; i++)
            {
                var target = y.AsSpan((o * dim + idx[i]) * inner, inner);
                TensorPrimitives.Add(target, updates.AsSpan(offset + (o * idx.Length + i) * inner, inner), target);
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Outer, int Dim, int Inner) Split(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }
}
