using Descent.Backends;

namespace Descent;

// + - * / and their gradients. Broadcasting follows NumPy; each gradient is summed back to its input's shape.
public partial class Tensor
{
    /// <summary>a + b, broadcast.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = BinaryRaw("Add", BinaryOp.Add, a, b);
        return GradientTape.Record(y, a, b, (g, i) => SumTo(g, i == 0 ? a.Dims : b.Dims));
    }

    /// <summary>a - b, broadcast.</summary>
    public static Tensor Subtract(Tensor a, Tensor b)
    {
        var y = BinaryRaw("Subtract", BinaryOp.Subtract, a, b);
        return GradientTape.Record(y, a, b, (g, i) => i == 0 ? SumTo(g, a.Dims) : SumTo(-g, b.Dims));
    }

    /// <summary>a * b elementwise, broadcast.</summary>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        var y = BinaryRaw("Multiply", BinaryOp.Multiply, a, b);
        return GradientTape.Record(y, a, b, (g, i) => i == 0 ? SumTo(g * b, a.Dims) : SumTo(g * a, b.Dims));
    }

    /// <summary>a / b elementwise, broadcast.</summary>
    public static Tensor Divide(Tensor a, Tensor b)
    {
        var y = BinaryRaw("Divide", BinaryOp.Divide, a, b);
        return GradientTape.Record(y, a, b, (g, i) => i == 0 ? SumTo(g / b, a.Dims) : SumTo(-g * a / (b * b), b.Dims));
    }

    /// <summary>-x.</summary>
    public Tensor Negate()
    {
        var y = UnaryRaw(UnaryOp.Negate);
        return GradientTape.Record(y, this, static (g, _) => -g);
    }

    /// <summary>Elementwise sum with broadcasting, as <see cref="Add"/>.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);

    /// <summary>Elementwise difference with broadcasting, as <see cref="Subtract"/>.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Subtract(a, b);

    /// <summary>Elementwise product with broadcasting, as <see cref="Multiply"/> (not a matrix product: see <see cref="MatMul(Tensor, Tensor, bool, bool)"/>).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Multiply(a, b);

    /// <summary>Elementwise quotient with broadcasting, as <see cref="Divide"/>.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Divide(a, b);

    /// <summary>The negation of each element, as <see cref="Negate"/>.</summary>
    public static Tensor operator -(Tensor x) => x.Negate();

    // A C# number takes the tensor's dtype, as TensorFlow's weakly typed Python scalars do.

    /// <summary>Adds <paramref name="b"/> to every element; the number takes the tensor's dtype and device.</summary>
    public static Tensor operator +(Tensor a, double b) => Add(a, a.Like(b));

    /// <summary>Adds <paramref name="a"/> to every element; the number takes the tensor's dtype and device.</summary>
    public static Tensor operator +(double a, Tensor b) => Add(b.Like(a), b);

    /// <summary>Subtracts <paramref name="b"/> from every element; the number takes the tensor's dtype and device.</summary>
    public static Tensor operator -(Tensor a, double b) => Subtract(a, a.Like(b));

    /// <summary><paramref name="a"/> minus each element; the number takes the tensor's dtype and device.</summary>
    public static Tensor operator -(double a, Tensor b) => Subtract(b.Like(a), b);

    /// <summary>Multiplies every element by <paramref name="b"/>; the number takes the tensor's dtype and device.</summary>
    public static Tensor operator *(Tensor a, double b) => Multiply(a, a.Like(b));

    /// <summary>Multiplies every element by <paramref name="a"/>; the number takes the tensor's dtype and device.</summary>
    public static Tensor operator *(double a, Tensor b) => Multiply(b.Like(a), b);

    /// <summary>Divides every element by <paramref name="b"/>; the number takes the tensor's dtype and device.</summary>
    public static Tensor operator /(Tensor a, double b) => Divide(a, a.Like(b));

    /// <summary><paramref name="a"/> divided by each element; the number takes the tensor's dtype and device.</summary>
    public static Tensor operator /(double a, Tensor b) => Divide(b.Like(a), b);
}
