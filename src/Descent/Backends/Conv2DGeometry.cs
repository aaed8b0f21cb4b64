namespace Descent.Backends;

/// <summary>
/// The sizes of one 2-D convolution over NHWC images, fully resolved: input [Batch, InHeight, InWidth, InChannels],
/// kernel [KernelHeight, KernelWidth, InChannels, OutChannels], output [Batch, OutHeight, OutWidth, OutChannels].
/// Output row oh reads input rows oh·StrideHeight + i·DilationHeight − PadTop for kernel rows i (columns likewise);
/// rows outside the input read as zero. Pooling uses it too, with OutChannels = InChannels and dilation 1.
/// </summary>
public readonly record struct Conv2DGeometry(
    int Batch, int InHeight, int InWidth, int InChannels,
    int KernelHeight, int KernelWidth, int OutChannels,
    int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth,
    int PadTop, int PadLeft, int OutHeight, int OutWidth)
{
    /// <summary>[Batch, InHeight, InWidth, InChannels].</summary>
    public int[] InputShape => [Batch, InHeight, InWidth, InChannels];

    /// <summary>[KernelHeight, KernelWidth, InChannels, OutChannels].</summary>
    public int[] KernelShape => [KernelHeight, KernelWidth, InChannels, OutChannels];

    /// <summary>[Batch, OutHeight, OutWidth, OutChannels].</summary>
    public int[] OutputShape => [Batch, OutHeight, OutWidth, OutChannels];
}
