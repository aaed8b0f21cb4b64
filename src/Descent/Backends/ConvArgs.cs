namespace Descent.Backends;

/// <summary>
/// The checks every backend's convolution and pooling kernels make before touching memory: a float dtype shared by
/// all operands, layouts of the shapes the geometry implies, an output buffer long enough, and a sane geometry.
/// </summary>
internal static class ConvArgs
{
    public static void Check(string op, Conv2DGeometry g, Storage output, int[] outputShape, params (Storage Data, Layout Layout, int[] Shape, string Name)[] inputs)
    {
        if (output.DType is not (DType.Float32 or DType.Float64))
            throw new ArgumentException($"{op}: not defined for {output.DType.Name()} tensors; cast to a float dtype first.");
        if (g.StrideHeight < 1 || g.StrideWidth < 1 || g.DilationHeight < 1 || g.DilationWidth < 1
            || g.Batch < 0 || g.InHeight < 0 || g.InWidth < 0 || g.InChannels < 0 || g.KernelHeight < 0 || g.KernelWidth < 0
            || g.OutChannels < 0 || g.OutHeight < 0 || g.OutWidth < 0)
            throw new ArgumentException($"{op}: invalid geometry {g}; strides and dilations must be positive and sizes non-negative.");
        foreach (var (data, layout, shape, name) in inputs)
        {
            if (data.DType != output.DType)
                throw new ArgumentException($"{op}: {name} is {data.DType.Name()} but the output is {output.DType.Name()}.");
            if (!layout.Shape.SequenceEqual(shape))
                throw new ArgumentException($"{op}: {name} has shape {ShapeUtil.Format(layout.Dims)}, the geometry needs {ShapeUtil.Format(shape)}.");
        }
        if (output.Length < ShapeUtil.SizeOf(outputShape))
            throw new ArgumentException($"{op}: the output buffer holds {output.Length} elements, {ShapeUtil.Format(outputShape)} needs {ShapeUtil.SizeOf(outputShape)}.");
    }
}
