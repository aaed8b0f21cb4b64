namespace Descent.Backends.Reference;

// Convolution, its two backward products and max pooling as the formulas read: one loop per output element over
// the terms of its sum, accumulated in double. Each backward product gathers its terms (no scatter), so every
// element is written once.
internal sealed partial class ReferenceBackend
{
    public void Conv2D(Storage x, Layout xLayout, Storage w, Layout wLayout, Storage y, Conv2DGeometry g)
    {
        var (input, kernel, output) = (Own(x, "Conv2D"), Own(w, "Conv2D"), Own(y, "Conv2D"));
        ConvArgs.Check("Conv2D", g, y, g.OutputShape, (x, xLayout, g.InputShape, "x"), (w, wLayout, g.KernelShape, "w"));
        int index = 0;
        for (int b = 0; b < g.Batch; b++)
            for (int oh = 0; oh < g.OutHeight; oh++)
                for (int ow = 0; ow < g.OutWidth; ow++)
                    for (int co = 0; co < g.OutChannels; co++)
                    {
                        double sum = 0;
                        for (int i = 0; i < g.KernelHeight; i++)
                            for (int j = 0; j < g.KernelWidth; j++)
                            {
                                int ih = oh * g.StrideHeight + i * g.DilationHeight - g.PadTop, iw = ow * g.StrideWidth + j * g.DilationWidth - g.PadLeft;
                                if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                                for (int ci = 0; ci < g.InChannels; ci++)
                                    sum += input.Real(Element(xLayout, b, ih, iw, ci)) * kernel.Real(Element(wLayout, i, j, ci, co));
                            }
                        output.SetReal(index++, sum);
                    }
    }

    public void Conv2DBackwardInput(Storage dy, Layout dyLayout, Storage w, Layout wLayout, Storage dx, Conv2DGeometry g)
    {
        var (gradient, kernel, output) = (Own(dy, "Conv2DBackwardInput"), Own(w, "Conv2DBackwardInput"), Own(dx, "Conv2DBackwardInput"));
        ConvArgs.Check("Conv2DBackwardInput", g, dx, g.InputShape, (dy, dyLayout, g.OutputShape, "dy"), (w, wLayout, g.KernelShape, "w"));
        int index = 0;
        for (int b = 0; b < g.Batch; b++)
            for (int ih = 0; ih < g.InHeight; ih++)
                for (int iw = 0; iw < g.InWidth; iw++)
                    for (int ci = 0; ci < g.InChannels; ci++)
                    {
                        // x[b, ih, iw, ci] met kernel tap (i, j) at every output pixel whose window put that tap on it.
                        double sum = 0;
                        for (int i = 0; i < g.KernelHeight; i++)
                            for (int j = 0; j < g.KernelWidth; j++)
                            {
                                if (!Source(ih + g.PadTop - i * g.DilationHeight, g.StrideHeight, g.OutHeight, out int oh)
                                    || !Source(iw + g.PadLeft - j * g.DilationWidth, g.StrideWidth, g.OutWidth, out int ow)) continue;
                                for (int co = 0; co < g.OutChannels; co++)
                                    sum += gradient.Real(Element(dyLayout, b, oh, ow, co)) * kernel.Real(Element(wLayout, i, j, ci, co));
                            }
                        output.SetReal(index++, sum);
                    }
    }

    public void Conv2DBackwardFilter(Storage x, Layout xLayout, Storage dy, Layout dyLayout, Storage dw, Conv2DGeometry g)
    {
        var (input, gradient, output) = (Own(x, "Conv2DBackwardFilter"), Own(dy, "Conv2DBackwardFilter"), Own(dw, "Conv2DBackwardFilter"));
        ConvArgs.Check("Conv2DBackwardFilter", g, dw, g.KernelShape, (x, xLayout, g.InputShape, "x"), (dy, dyLayout, g.OutputShape, "dy"));
        int index = 0;
        for (int i = 0; i < g.KernelHeight; i++)
            for (int j = 0; j < g.KernelWidth; j++)
                for (int ci = 0; ci < g.InChannels; ci++)
                    for (int co = 0; co < g.OutChannels; co++)
                    {
                        double sum = 0;
                        for (int b = 0; b < g.Batch; b++)
                            for (int oh = 0; oh < g.OutHeight; oh++)
                                for (int ow = 0; ow < g.OutWidth; ow++)
                                {
                                    int ih = oh * g.StrideHeight + i * g.DilationHeight - g.PadTop, iw = ow * g.StrideWidth + j * g.DilationWidth - g.PadLeft;
                                    if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                                    sum += input.Real(Element(xLayout, b, ih, iw, ci)) * gradient.Real(Element(dyLayout, b, oh, ow, co));
                                }
                        output.SetReal(index++, sum);
                    }
    }

    public void MaxPool2D(Storage x, Layout xLayout, Storage y, Storage argmax, Conv2DGeometry g)
    {
        var (input, output, where) = (Own(x, "MaxPool2D"), Own(y, "MaxPool2D"), Own(argmax, "MaxPool2D"));
        ConvArgs.Check("MaxPool2D", g, y, g.OutputShape, (x, xLayout, g.InputShape, "x"));
        Expect("MaxPool2D", DType.Int32, argmax);
        if (g.OutChannels != g.InChannels || argmax.Length < y.Length)
            throw new ArgumentException($"MaxPool2D: the geometry {g} or the argmax buffer of {argmax.Length} does not fit the output.");
        int index = 0;
        for (int b = 0; b < g.Batch; b++)
            for (int oh = 0; oh < g.OutHeight; oh++)
                for (int ow = 0; ow < g.OutWidth; ow++)
                    for (int c = 0; c < g.InChannels; c++, index++)
                    {
                        double best = double.NegativeInfinity;
                        int at = -1;
                        for (int i = 0; i < g.KernelHeight; i++)
                            for (int j = 0; j < g.KernelWidth; j++)
                            {
                                int ih = oh * g.StrideHeight + i * g.DilationHeight - g.PadTop, iw = ow * g.StrideWidth + j * g.DilationWidth - g.PadLeft;
                                if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                                double v = input.Real(Element(xLayout, b, ih, iw, c));
                                // The first in-range cell, then any larger one or the first NaN (which stays).
                                if (at < 0 || v > best || (double.IsNaN(v) && !double.IsNaN(best)))
                                    (best, at) = (v, ((b * g.InHeight + ih) * g.InWidth + iw) * g.InChannels + c);
                            }
                        if (at < 0) throw new ArgumentException($"MaxPool2D: output pixel ({oh}, {ow}) has a window with no input cell in it; the geometry is {g}.");
                        output.SetReal(index, best);
                        where.SetInteger(index, at);
                    }
    }

    /// <summary>Where element (a, b, c, d) of a rank-4 layout sits in its storage.</summary>
    private static int Element(Layout layout, int a, int b, int c, int d)
    {
        var s = layout.StrideArray;
        return layout.Offset + a * s[0] + b * s[1] + c * s[2] + d * s[3];
    }

    /// <summary>The output index o with o·stride = <paramref name="position"/>, when there is one in [0, <paramref name="extent"/>).</summary>
    private static bool Source(int position, int stride, int extent, out int o)
    {
        o = position / stride;
        return position >= 0 && position % stride == 0 && o < extent;
    }
}
