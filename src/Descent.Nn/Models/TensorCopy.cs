namespace Descent.Nn.Models;

/// <summary>Independent copies of tensor values (a variable's storage changes in place, so snapshots must copy).</summary>
internal static class TensorCopy
{
    public static Tensor Of(Tensor t)
    {
        int[] shape = [.. t.Shape];
        var copy = t.DType switch
        {
            DType.Float32 => Tensor.FromArray(t.ToArray<float>(), shape),
            DType.Float64 => Tensor.FromArray(t.ToArray<double>(), shape),
            DType.Int32 => Tensor.FromArray(t.ToArray<int>(), shape),
            DType.Int64 => Tensor.FromArray(t.ToArray<long>(), shape),
            _ => Tensor.FromArray(t.ToArray<bool>(), shape),
        };
        // FromArray reads an empty shape as 1-D.
        return shape.Length == 0 ? copy.Reshape() : copy;
    }
}
