using Descent.Backends;

namespace Descent;

// Elementwise math, each forward beside its derivative.
public partial class Tensor
{
    private Tensor FloatUnary(string name, UnaryOp op)
    {
        CheckFloat(name);
        return UnaryRaw(op);
    }

    /// <summary>x².</summary>
    public Tensor Square()
    {
        var y = UnaryRaw(UnaryOp.Square);
        return GradientTape.Record(y, this, (g, _) => g * this * 2.0);
    }

    /// <summary>√x.</summary>
    public Tensor Sqrt()
    {
        var y = FloatUnary("Sqrt", UnaryOp.Sqrt);
        return GradientTape.Record(y, this, (g, _) => g * 0.5 / y);
    }

    /// <summary>1/√x.</summary>
    public Tensor Rsqrt()
    {
        var y = FloatUnary("Rsqrt", UnaryOp.Rsqrt);
        return GradientTape.Record(y, this, (g, _) => g * -0.5 * y * y * y);
    }

    /// <summary>eˣ.</summary>
    public Tensor Exp()
    {
        var y = FloatUnary("Exp", UnaryOp.Exp);
        return GradientTape.Record(y, this, (g, _) => g * y);
    }

    /// <summary>Natural logarithm.</summary>
    public Tensor Log()
    {
        var y = FloatUnary("Log", UnaryOp.Log);
        return GradientTape.Record(y, this, (g, _) => g / this);
    }

    /// <summary>log(1 + x), accurate for small x.</summary>
    public Tensor Log1p()
    {
        var y = FloatUnary("Log1p", UnaryOp.Log1p);
        return GradientTape.Record(y, this, (g, _) => g / (this + 1.0));
    }

    /// <summary>|x|; the derivative at 0 is taken as 0, as TensorFlow does.</summary>
    public Tensor Abs()
    {
        var y = UnaryRaw(UnaryOp.Abs);
        return GradientTape.Record(y, this, (g, _) => g * Sign());
    }

    /// <summary>-1, 0 or 1 by the sign of x (NaN stays NaN). Its gradient is zero.</summary>
    public Tensor Sign()
    {
        var y = UnaryRaw(UnaryOp.Sign);
        return GradientTape.Record(y, this, static (g, _) => ZerosLike(g));
    }

    /// <summary>The largest whole number not above x. Its gradient is zero, as in TensorFlow.</summary>
    public Tensor Floor()
    {
        var y = UnaryRaw(UnaryOp.Floor);
        return GradientTape.Record(y, this, static (g, _) => ZerosLike(g));
    }

    /// <summary>x rounded to the nearest whole number, halves to even (as NumPy and TensorFlow). Its gradient is zero.</summary>
    public Tensor Round()
    {
        var y = UnaryRaw(UnaryOp.Round);
        return GradientTape.Record(y, this, static (g, _) => ZerosLike(g));
    }

    /// <summary>sin x.</summary>
    public Tensor Sin()
    {
        var y = FloatUnary("Sin", UnaryOp.Sin);
        return GradientTape.Record(y, this, (g, _) => g * Cos());
    }

    /// <summary>cos x.</summary>
    public Tensor Cos()
    {
        var y = FloatUnary("Cos", UnaryOp.Cos);
        return GradientTape.Record(y, this, (g, _) => -g * Sin());
    }

    /// <summary>The error function.</summary>
    public Tensor Erf()
    {
        var y = FloatUnary("Erf", UnaryOp.Erf);
        return GradientTape.Record(y, this, (g, _) => g * (2.0 / Math.Sqrt(Math.PI)) * (-Square()).Exp());
    }

    /// <summary>aᵇ elementwise, broadcast.</summary>
    public static Tensor Pow(Tensor a, Tensor b)
    {
        a.CheckFloat("Pow");
        var y = BinaryRaw("Pow", BinaryOp.Pow, a, b);
        return GradientTape.Record(y, a, b, (g, i) => i == 0
            ? SumTo(g * b * Pow(a, b - 1.0), a.Dims)
            : SumTo(g * y * a.Log(), b.Dims));
    }

    /// <summary>xᵖ for a constant exponent.</summary>
    public Tensor Pow(double exponent) => Pow(this, Like(exponent));

    /// <summary>The larger of a and b elementwise; where they tie, the gradient goes to a.</summary>
    public static Tensor Maximum(Tensor a, Tensor b)
    {
        var y = BinaryRaw("Maximum", BinaryOp.Maximum, a, b);
        return GradientTape.Record(y, a, b, (g, i) =>
        {
            var aWins = GreaterEqual(a, b);
            return i == 0 ? SumTo(Where(aWins, g, g.Like(0)), a.Dims) : SumTo(Where(aWins, g.Like(0), g), b.Dims);
        });
    }

    /// <summary>The smaller of a and b elementwise; where they tie, the gradient goes to a.</summary>
    public static Tensor Minimum(Tensor a, Tensor b)
    {
        var y = BinaryRaw("Minimum", BinaryOp.Minimum, a, b);
        return GradientTape.Record(y, a, b, (g, i) =>
        {
            var aWins = LessEqual(a, b);
            return i == 0 ? SumTo(Where(aWins, g, g.Like(0)), a.Dims) : SumTo(Where(aWins, g.Like(0), g), b.Dims);
        });
    }

    /// <summary>x limited to [min, max]; the gradient passes where x is inside (bounds included).</summary>
    public Tensor Clip(double min, double max)
    {
        if (min > max) throw new ArgumentException($"Clip: min {min} is greater than max {max}.");
        return Minimum(Maximum(this, Like(min)), Like(max));
    }
}
