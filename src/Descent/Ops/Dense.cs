namespace Descent;

// The dense layer's forward fused: one matrix product, then bias and activation in a single pass over the
// output. Its backward reads the activation's derivative from the output and is written with ops, so it
// matches the composed activation(x @ kernel + bias) (tested) and can be differentiated again.
public partial class Tensor
{
    /// <summary>activation(x @ kernel + bias) for x [batch, in], kernel [in, out], bias [out] (or null).</summary>
    public static Tensor Dense(Tensor x, Tensor kernel, Tensor? bias = null, FusedActivation activation = FusedActivation.Linear)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(kernel);
        if (x.Rank != 2 || kernel.Rank != 2 || x.Dims[1] != kernel.Dims[0])
            throw new ArgumentException($"Dense: expects x [batch, in] and kernel [in, out], got {ShapeUtil.Format(x.Dims)} and {ShapeUtil.Format(kernel.Dims)}.");
        x.CheckSameDType("Dense", kernel);
        x.CheckSameDevice("Dense", kernel);
        x.CheckFloat("Dense");
        if (bias is not null)
        {
            x.CheckSameDType("Dense", bias);
            x.CheckSameDevice("Dense", bias);
            if (bias.Rank != 1 || bias.Dims[0] != kernel.Dims[1])
                throw new ArgumentException($"Dense: bias has shape {ShapeUtil.Format(bias.Dims)}, expected [{kernel.Dims[1]}].");
        }
        Tensor y;
        using (GradientTape.Suspend())
            y = MatMul(x, kernel).Contiguous();
        x.Backend.BiasActivation(y.Storage, y.Layout, bias?.Storage, bias?.Layout, activation);
        Tensor[] inputs = bias is null ? [x, kernel] : [x, kernel, bias];
        // The three input gradients share one pre-activation gradient; remember it for the g it was made from.
        Tensor? cachedFor = null, cached = null;
        Tensor PreActivation(Tensor g)
        {
            if (ReferenceEquals(g, cachedFor)) return cached!;
            cachedFor = g;
            return cached = activation switch
            {
                // y = relu(z) ≥ 0, so sign(y) is exactly relu'(z): 1 where z > 0, else 0.
                FusedActivation.Relu => g * y.Sign(),
                FusedActivation.Sigmoid => g * y * (1.0 - y),
                FusedActivation.Tanh => g * (1.0 - y * y),
                _ => g,
            };
        }
        return GradientTape.Record(y, inputs, (g, i) => i switch
        {
            0 => MatMul(PreActivation(g), kernel, transposeB: true),
            1 => MatMul(x, PreActivation(g), transposeA: true),
            _ => PreActivation(g).Sum(0),
        });
    }
}
