using Descent.Backends;

namespace Descent;

// Activation functions. Those with a fused kernel or a numerically delicate form have their own backward;
// the rest are compositions and get their gradients from the ops they are made of.
public partial class Tensor
{
    /// <summary>1 / (1 + e⁻ˣ).</summary>
    public Tensor Sigmoid()
    {
        var y = FloatUnary("Sigmoid", UnaryOp.Sigmoid);
        return GradientTape.Record(y, this, (g, _) => g * y * (1.0 - y));
    }

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh()
    {
        var y = FloatUnary("Tanh", UnaryOp.Tanh);
        return GradientTape.Record(y, this, (g, _) => g * (1.0 - y * y));
    }

    /// <summary>max(x, 0); the derivative at 0 is 0.</summary>
    public Tensor Relu()
    {
        var y = UnaryRaw(UnaryOp.Relu);
        return GradientTape.Record(y, this, (g, _) => Where(Greater(this, Like(0)), g, g.Like(0)));
    }

    /// <summary>x for x &gt; 0, alpha·x otherwise (TensorFlow's default alpha is 0.2).</summary>
    public Tensor LeakyRelu(double alpha = 0.2) => Where(Greater(this, Like(0)), this, this * alpha);

    /// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise.</summary>
    public Tensor Elu(double alpha = 1.0) =>
        // exp only sees non-positive values, so the branch not taken cannot overflow into a NaN gradient.
        Where(Greater(this, Like(0)), this, (Minimum(this, Like(0)).Exp() - 1.0) * alpha);

    /// <summary>
    /// Gaussian error linear unit: x·Φ(x) with the exact normal CDF, or the tanh approximation when
    /// <paramref name="approximate"/> (both as in Keras).
    /// </summary>
    public Tensor Gelu(bool approximate = false)
    {
        if (approximate)
        {
            const double C = 0.7978845608028654; // √(2/π)
            return 0.5 * this * (1.0 + ((this + 0.044715 * this * this * this) * C).Tanh());
        }
        return 0.5 * this * (1.0 + (this * (1.0 / Math.Sqrt(2.0))).Erf());
    }

    /// <summary>log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) so it never overflows.</summary>
    public Tensor Softplus()
    {
        CheckFloat("Softplus");
        Tensor y;
        using (GradientTape.Suspend())
            y = Maximum(this, Like(0)) + (-Abs()).Exp().Log1p();
        return GradientTape.Record(y, this, (g, _) => g * Sigmoid());
    }

    /// <summary>exp(x) / sum(exp(x)) along <paramref name="axis"/>, shifted by the maximum for stability.</summary>
    public Tensor Softmax(int axis = -1)
    {
        CheckFloat("Softmax");
        axis = ShapeUtil.NormalizeAxis("Softmax", axis, Rank);
        Tensor y;
        using (GradientTape.Suspend())
        {
            var e = (this - Max(axis, keepDims: true)).Exp();
            y = e / e.Sum(axis, keepDims: true);
        }
        return GradientTape.Record(y, this, (g, _) => y * (g - (g * y).Sum(axis, keepDims: true)));
    }

    /// <summary>log(softmax(x)) along <paramref name="axis"/>, computed as (x − max) − log(sum(exp(x − max))) so it stays finite.</summary>
    public Tensor LogSoftmax(int axis = -1)
    {
        CheckFloat("LogSoftmax");
        axis = ShapeUtil.NormalizeAxis("LogSoftmax", axis, Rank);
        Tensor y;
        using (GradientTape.Suspend())
        {
            // Not x − logsumexp(x): for large logits logsumexp rounds at their magnitude, and the difference
            // keeps that absolute error (1e-5 at logits near 1000 in float32). Shifting first keeps it small.
            var m = Max(axis, keepDims: true);
            var shifted = this - Where(Equal(m, Like(double.NegativeInfinity)), m.Like(0), m);
            y = shifted - shifted.Exp().Sum(axis, keepDims: true).Log();
        }
        return GradientTape.Record(y, this, (g, _) => g - y.Exp() * g.Sum(axis, keepDims: true));
    }

    /// <summary>log(sum(exp(x))) over <paramref name="axes"/> (all when null, none when empty), shifted by the maximum for stability.</summary>
    public Tensor LogSumExp(int[]? axes = null, bool keepDims = false)
    {
        CheckFloat("LogSumExp");
        var normalized = ShapeUtil.NormalizeAxes("LogSumExp", axes, Rank);
        Tensor y, yKeep;
        using (GradientTape.Suspend())
        {
            var m = Max(normalized, keepDims: true);
            // An all -inf slice would give -inf - -inf = NaN; shift by 0 there instead.
            m = Where(Equal(m, Like(double.NegativeInfinity)), m.Like(0), m);
            yKeep = (this - m).Exp().Sum(normalized, keepDims: true).Log() + m;
            y = keepDims ? yKeep : yKeep.Reshape(ShapeUtil.Reduced(Dims, normalized, false));
        }
        // The backward uses the recorded output y, not yKeep, so an outer tape sees it depend on x.
        var keptShape = yKeep.Dims;
        return GradientTape.Record(y, this, (g, _) =>
            g.Reshape(keptShape) * (this - y.Reshape(keptShape)).Exp());
    }

    /// <summary>log(sum(exp(x))) along one axis.</summary>
    public Tensor LogSumExp(int axis, bool keepDims = false) => LogSumExp([axis], keepDims);
}
