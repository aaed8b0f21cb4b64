using System.Numerics;

namespace Descent.Backends.Cpu;

public sealed partial class CpuBackend
{
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
        Parallelism.For(rows, Math.Max(1, Parallelism.ElementThreshold / Math.Max(1, g.OutWidth * c * window)), (start, end) =>
        {
            for (int row = start; row < end; row++)
            {
                int b = row / g.OutHeight, oh = row - b * g.OutHeight;
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    int o = (row * g.OutWidth + ow) * c;
                    bool first = true;
                    // Cells in row-major window order with a strict comparison: the first maximum wins a tie.
                    for (int i = 0; i < g.KernelHeight; i++)
                    {
                        int ih = oh * g.StrideHeight + i * g.DilationHeight - g.PadTop;
                        if ((uint)ih >= (uint)g.InHeight) continue;
                        for (int j = 0; j < g.KernelWidth; j++)
                        {
                            int iw = ow * g.StrideWidth + j * g.DilationWidth - g.PadLeft;
                            if ((uint)iw >= (uint)g.InWidth) continue;
                            int cell = ((b * g.InHeight + ih) * g.InWidth + iw) * c;
                            if (first)
                            {
                                for (int ch = 0; ch < c; ch++) (y[o + ch], argmax[o + ch]) = (x[offset + cell + ch], cell + ch);
                                first = false;
                                continue;
                            }
                            for (int ch = 0; ch < c; ch++)
                            {
                                T v = x[offset + cell + ch], best = y[o + ch];
                                if (v > best || (T.IsNaN(v) && !T.IsNaN(best))) (y[o + ch], argmax[o + ch]) = (v, cell + ch);
                            }
                        }
                    }
                    if (first)
                        throw new ArgumentException($"MaxPool2D: output pixel ({oh}, {ow}) has a window with no input cell in it; the geometry is {g}.");
                }
            }
        });
    }
}
