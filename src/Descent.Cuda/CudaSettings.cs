namespace Descent.Cuda;

/// <summary>Process-wide settings of the CUDA backend.</summary>
public static class CudaSettings
{
    /// <summary>
    /// Lets float32 matrix products use TF32 tensor cores (10-bit mantissas in the products, float32 sums): several
    /// times faster on Ampere and later GPUs, at about 1e-3 relative error. Off by default, as in PyTorch
    /// (<c>torch.backends.cuda.matmul.allow_tf32</c>); float64 is never affected.
    /// </summary>
    public static bool AllowTf32 { get; set; }
}
