namespace Descent.Nn.Models;

/// <summary>Independent copies of tensor values (a variable's storage changes in place, so snapshots must copy).</summary>
internal static class TensorCopy
{
    /// <summary>A copy on the tensor's own device, cut off from any tape.</summary>
    public static Tensor Of(Tensor t) => t.StopGradient().Clone();
}
