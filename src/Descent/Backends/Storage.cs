namespace Descent.Backends;

/// <summary>A flat buffer of one dtype on one backend. Tensors view it through a <see cref="Layout"/>.</summary>
public abstract class Storage
{
    /// <summary>The element type.</summary>
    public abstract DType DType { get; }

    /// <summary>The number of elements the buffer holds.</summary>
    public abstract int Length { get; }

    /// <summary>The backend whose kernels can read this buffer.</summary>
    public abstract IBackend Backend { get; }
}
