namespace Descent;

// Running sums. The forward is a Hillis–Steele scan of shifted copies (⌈log₂ n⌉ adds, each shift a pad and a slice),
// so it needs no primitive of its own; the backward is the running sum the other way.
public partial class Tensor
{
    /// <summary>
    /// The running sum along <paramref name="axis"/>, as tf.math.cumsum: element i is x₀ + … + xᵢ; with
    /// <paramref name="exclusive"/> it is x₀ + … + xᵢ₋₁ (0 first); with <paramref name="reverse"/> the sums run from the
    /// end. Integer tensors are summed too (without a gradient).
    /// </summary>
    public Tensor Cumsum(int axis = 0, bool exclusive = false, bool reverse = false)
    {
        CheckNotBool("Cumsum");
        axis = ShapeUtil.NormalizeAxis("Cumsum", axis, Rank);
        Tensor y;
        using (GradientTape.Suspend())
        {
            y = exclusive ? Shifted(this, axis, 1, reverse) : this;
            for (int d = 1; d < Dims[axis]; d *= 2)
                y += Shifted(y, axis, d, reverse);
        }
        return GradientTape.Record(y, this, (g, _) => g.Cumsum(axis, exclusive, !reverse));
    }

    // x moved d places along axis (towards the end, or towards the start when reverse), zeros filling in behind.
    private static Tensor Shifted(Tensor x, int axis, int d, bool reverse)
    {
        int n = x.Dims[axis];
        if (d >= n) return ZerosLike(x);
        var pads = new (int, int)[x.Rank];
        pads[axis] = reverse ? (0, d) : (d, 0);
        return x.Pad(pads).SliceAxis(axis, reverse ? d : 0, n);
    }
}
