using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void MaxPool2D(Storage x, Layout xLayout, Storage y, Storage argmax, Conv2DGeometry g)
    {
        ConvArgs.Check("MaxPool2D", g, y, g.OutputShape, (x, xLayout, g.InputShape, "x"));
        if (g.OutChannels != g.InChannels)
            throw new ArgumentException($"MaxPool2D: the geometry has {g.InChannels} input channels but {g.OutChannels} output channels.");
        if (argmax.DType != DType.Int32 || argmax.Length < ShapeUtil.SizeOf(g.OutputShape))
            throw new ArgumentException($"MaxPool2D: argmax must be an int32 buffer of {ShapeUtil.SizeOf(g.OutputShape)} elements, got {argmax.DType.Name()} of {argmax.Length}.");
        var (data, offset) = ContiguousArray(x, xLayout);
        if (y.DType == DType.Float32) MaxPoolTyped((float[])data, offset, Cpu(y).Array<float>(), Cpu(argmax).Array<int>(), g);
        else MaxPoolTyped((double[])data, offset, Cpu(y).Array<double>(), Cpu(argmax).Array<int>(), g);
        GC.KeepAlive(x);
        GC.KeepAlive(y);
        GC.KeepAlive(argmax);
    }

    private static void MaxPoolTyped<T>(T[] x, int offset, T[] y, int[] argmax, Conv2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = g.InChannels, rows = g.Batch * g.OutHeight, window = g.KernelHeight * g.KernelWidth;
        // Whole vectors of channels run in SIMD; the rest, and machines without AVX-512, run one channel at a time.
        int vectorEnd = Vector512.IsHardwareAccelerated ? c / Vector512<T>.Count * Vector512<T>.Count : 0;
        Parallelism.For(rows, Math.Max(1, Parallelism.ElementThreshold / Math.Max(1, g.OutWidth * c * window)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            Span<int> cells = window <= 1024 ? stackalloc int[window] : new int[window];
            for (int row = start; row < end; row++)
            {
                int b = row / g.OutHeight, oh = row - b * g.OutHeight;
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    // The window's in-range cells in row-major order: the order in which a tie goes to the first.
                    int count = 0;
                    for (int i = 0; i < g.KernelHeight; i++)
                    {
                        int ih = oh * g.StrideHeight + i * g.DilationHeight - g.PadTop;
                        if ((uint)ih >= (uint)g.InHeight) continue;
                        for (int j = 0; j < g.KernelWidth; j++)
                        {
                            int iw = ow * g.StrideWidth + j * g.DilationWidth - g.PadLeft;
                            if ((uint)iw < (uint)g.InWidth) cells[count++] = ((b * g.InHeight + ih) * g.InWidth + iw) * c;
                        }
                    }
                    if (count == 0)
                        throw new ArgumentException($"MaxPool2D: output pixel ({oh}, {ow}) has a window with no input cell in it; the geometry is {g}.");
                    int o = (row * g.OutWidth + ow) * c;
                    var inRange = cells[..count];
                    for (int ch = 0; ch < vectorEnd; ch += Vector512<T>.Count) WindowMaxVector(x, offset, inRange, ch, y, argmax, o);
                    for (int ch = vectorEnd; ch < c; ch++) WindowMax(x, offset, inRange, ch, y, argmax, o);
                }
            }
        });
    }

    // A larger value or the first NaN takes over; ties keep the earlier cell.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WindowMax<T>(T[] x, int offset, ReadOnlySpan<int> cells, int ch, T[] y, int[] argmax, int o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T best = x[offset + cells[0] + ch];
        int at = cells[0] + ch;
        for (int i = 1; i < cells.Length; i++)
        {
            T v = x[offset + cells[i] + ch];
            if (v > best || (T.IsNaN(v) && !T.IsNaN(best))) (best, at) = (v, cells[i] + ch);
        }
        y[o + ch] = best;
        argmax[o + ch] = at;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WindowMaxVector<T>(T[] x, int offset, ReadOnlySpan<int> cells, int ch, T[] y, int[] argmax, int o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T data = ref MemoryMarshal.GetArrayDataReference(x);
        var best = Vector512.LoadUnsafe(ref data, (nuint)(offset + cells[0] + ch));
        var at = Positions<T>(cells[0] + ch);
        for (int i = 1; i < cells.Length; i++)
        {
            var v = Vector512.LoadUnsafe(ref data, (nuint)(offset + cells[i] + ch));
            var take = Vector512.GreaterThan(v, best) | (~Vector512.Equals(v, v) & Vector512.Equals(best, best));
            best = Vector512.ConditionalSelect(take, v, best);
            at = Vector512.ConditionalSelect(take, Positions<T>(cells[i] + ch), at);
        }
        best.CopyTo(y, o + ch);
        if (typeof(T) == typeof(float))
            at.AsInt32().CopyTo(argmax, o + ch);
        else
            for (int k = 0; k < Vector512<T>.Count; k++) argmax[o + ch + k] = (int)at.AsInt64()[k];
    }

    /// <summary>start, start + 1, ... as integers of T's width, their bits held in a vector of T so a mask of T selects them.</summary>
    private static Vector512<T> Positions<T>(int start) =>
        typeof(T) == typeof(float)
            ? (Vector512<int>.Indices + Vector512.Create(start)).As<int, T>()
            : (Vector512<long>.Indices + Vector512.Create((long)start)).As<long, T>();
}
