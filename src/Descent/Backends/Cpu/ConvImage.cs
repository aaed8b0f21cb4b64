using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

/// <summary>
/// An NHWC image laid out for the convolution kernels: the grid of rows and columns the windows reach, padding
/// included, with pixel (b, r, c) at Offset + b·BatchStride + r·RowStride + c·PixelStride and its channels
/// contiguous. Grid row r is image row r − PadTop (columns likewise), so no kernel tests bounds. It is a view of the
/// caller's contiguous array when the windows read no padding, else a zero-padded copy borrowed from the pool.
/// </summary>
internal readonly struct ConvImage<T> : IDisposable where T : unmanaged
{
    public readonly T[] Data;
    public readonly int Offset, BatchStride, RowStride, PixelStride, Rows, Columns;
    private readonly int _rented;

    private ConvImage(T[] data, int offset, int rows, int columns, int rowStride, int pixelStride, int batchStride, int rented)
    {
        (Data, Offset, Rows, Columns, RowStride, PixelStride, BatchStride, _rented) = (data, offset, rows, columns, rowStride, pixelStride, batchStride, rented);
    }

    /// <summary>The grid of x (any layout) for <paramref name="g"/>, pixels <paramref name="pixelStride"/> ≥ channels apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ConvImage<T> Read(T[] x, Layout layout, in Conv2DGeometry g, int pixelStride)
    {
        var (rows, columns) = Extent(g);
        if (layout.IsContiguous && InPlace(g, rows, columns, pixelStride))
            return View(x, layout.Offset, g, rows, columns);
        var image = Borrow(g, rows, columns, pixelStride);
        var s = layout.StrideArray;
        int c = g.InChannels;
        for (int b = 0; b < g.Batch; b++)
            for (int r = Math.Max(0, g.PadTop); r < Math.Min(rows, g.InHeight + g.PadTop); r++)
            {
                int first = Math.Max(0, g.PadLeft), last = Math.Min(columns, g.InWidth + g.PadLeft);
                int src = layout.Offset + b * s[0] + (r - g.PadTop) * s[1] + (first - g.PadLeft) * s[2];
                int dst = image.Offset + b * image.BatchStride + r * image.RowStride + first * pixelStride;
                if (s[3] == 1 && s[2] == c && pixelStride == c)
                {
                    Array.Copy(x, src, image.Data, dst, (last - first) * c);
                    continue;
                }
                for (int col = first; col < last; col++, src += s[2], dst += pixelStride)
                    for (int ch = 0; ch < c; ch++) image.Data[dst + ch] = x[src + ch * s[3]];
            }
        return image;
    }

    /// <summary>
    /// A zeroed grid to accumulate the gradient of the image <paramref name="dx"/> (contiguous) in: dx itself, cleared,
    /// when the windows read no padding; else a borrowed grid that <see cref="CopyTo"/> crops into dx.
    /// </summary>
    public static ConvImage<T> Accumulator(T[] dx, in Conv2DGeometry g, int pixelStride)
    {
        var (rows, columns) = Extent(g);
        if (InPlace(g, rows, columns, pixelStride))
        {
            dx.AsSpan(0, g.Batch * g.InHeight * g.InWidth * g.InChannels).Clear();
            return View(dx, 0, g, rows, columns);
        }
        return Borrow(g, rows, columns, pixelStride);
    }

    /// <summary>Writes the grid's image part into contiguous <paramref name="dx"/>, zeros where no window reached; nothing when the grid is a view of dx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyTo(T[] dx, in Conv2DGeometry g)
    {
        if (_rented == 0) return;
        int c = g.InChannels, w = g.InWidth;
        dx.AsSpan(0, g.Batch * g.InHeight * w * c).Clear();
        for (int b = 0; b < g.Batch; b++)
            for (int r = Math.Max(0, g.PadTop); r < Math.Min(Rows, g.InHeight + g.PadTop); r++)
            {
                int first = Math.Max(0, g.PadLeft), last = Math.Min(Columns, w + g.PadLeft);
                int dst = ((b * g.InHeight + r - g.PadTop) * w + first - g.PadLeft) * c;
                int src = Offset + b * BatchStride + r * RowStride + first * PixelStride;
                for (int col = first; col < last; col++, src += PixelStride, dst += c)
                    Array.Copy(Data, src, dx, dst, c);
            }
    }

    /// <summary>Where the window of output pixel <paramref name="m"/> (row-major over [B, Ho, Wo]) starts.</summary>
    public int Base(int m, in Conv2DGeometry g)
    {
        int perImage = g.OutHeight * g.OutWidth, b = m / perImage, rest = m - b * perImage, oh = rest / g.OutWidth, ow = rest - oh * g.OutWidth;
        return Offset + b * BatchStride + oh * g.StrideHeight * RowStride + ow * g.StrideWidth * PixelStride;
    }

    /// <summary>Where the windows of output pixels m, m + 1, ... start, one per element of <paramref name="bases"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Bases(int m, Span<int> bases, in Conv2DGeometry g)
    {
        if (bases.IsEmpty) return;
        int perImage = g.OutHeight * g.OutWidth, b = m / perImage, rest = m - b * perImage, oh = rest / g.OutWidth, ow = rest - oh * g.OutWidth;
        int rowStep = g.StrideHeight * RowStride, step = g.StrideWidth * PixelStride;
        int rowStart = Offset + b * BatchStride + oh * rowStep;
        for (int i = 0; i < bases.Length; i++)
        {
            bases[i] = rowStart + ow * step;
            if (++ow < g.OutWidth) continue;
            ow = 0;
            rowStart += rowStep;
            if (++oh < g.OutHeight) continue;
            oh = 0;
            rowStart = Offset + ++b * BatchStride;
        }
    }

    /// <summary>Each kernel tap's (i, j) distance from its window's start, row-major over [kh, kw].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int[] TapOffsets(in Conv2DGeometry g)
    {
        var offsets = new int[g.KernelHeight * g.KernelWidth];
        for (int i = 0; i < g.KernelHeight; i++)
            for (int j = 0; j < g.KernelWidth; j++)
                offsets[i * g.KernelWidth + j] = i * g.DilationHeight * RowStride + j * g.DilationWidth * PixelStride;
        return offsets;
    }

    public void Dispose()
    {
        if (_rented > 0) CpuBackend.Instance.Pool.Return(Data, _rented, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
    }

    /// <summary>The rows and columns the windows reach, from padded row and column 0.</summary>
    private static (int Rows, int Columns) Extent(in Conv2DGeometry g) =>
        g.OutHeight == 0 || g.OutWidth == 0 ? (0, 0)
            : ((g.OutHeight - 1) * g.StrideHeight + (g.KernelHeight - 1) * g.DilationHeight + 1,
               (g.OutWidth - 1) * g.StrideWidth + (g.KernelWidth - 1) * g.DilationWidth + 1);

    private static bool InPlace(in Conv2DGeometry g, int rows, int columns, int pixelStride) =>
        pixelStride == g.InChannels && g.PadTop <= 0 && g.PadLeft <= 0 && rows - g.PadTop <= g.InHeight && columns - g.PadLeft <= g.InWidth;

    private static ConvImage<T> View(T[] x, int offset, in Conv2DGeometry g, int rows, int columns)
    {
        int row = g.InWidth * g.InChannels;
        return new(x, offset - g.PadTop * row - g.PadLeft * g.InChannels, rows, columns, row, g.InChannels, g.InHeight * row, 0);
    }

    private static ConvImage<T> Borrow(in Conv2DGeometry g, int rows, int columns, int pixelStride)
    {
        int batch = rows * columns * pixelStride, length = Math.Max(1, g.Batch * batch);
        var data = CpuBackend.Instance.Pool.Rent<T>(length);
        Array.Clear(data, 0, length);
        return new(data, 0, rows, columns, columns * pixelStride, pixelStride, batch, length);
    }
}
