using Descent.Backends;

namespace Descent;

// Comparisons (bool results, no gradient), where, cast and stop-gradient.
public partial class Tensor
{
    private static Tensor CompareRaw(string name, CompareOp op, Tensor a, Tensor b)
    {
        var (shape, la, lb) = BroadcastPair(name, a, b);
        var y = Empty(shape, DType.Bool, a.Backend);
        a.Backend.Compare(op, a.Storage, la, b.Storage, lb, y.Storage);
        return y;
    }

    /// <summary>a == b elementwise, broadcast, as a bool tensor. (No <c>==</c> operator: see <see cref="operator &gt;(Tensor, Tensor)"/>.)</summary>
    public static Tensor Equal(Tensor a, Tensor b) => CompareRaw("Equal", CompareOp.Equal, a, b);

    /// <summary>a != b elementwise, broadcast, as a bool tensor.</summary>
    public static Tensor NotEqual(Tensor a, Tensor b) => CompareRaw("NotEqual", CompareOp.NotEqual, a, b);

    /// <summary>a &lt; b elementwise, broadcast, as a bool tensor.</summary>
    public static Tensor Less(Tensor a, Tensor b) => CompareRaw("Less", CompareOp.Less, a, b);

    /// <summary>a &lt;= b elementwise, broadcast, as a bool tensor.</summary>
    public static Tensor LessEqual(Tensor a, Tensor b) => CompareRaw("LessEqual", CompareOp.LessEqual, a, b);

    /// <summary>a &gt; b elementwise, broadcast, as a bool tensor.</summary>
    public static Tensor Greater(Tensor a, Tensor b) => CompareRaw("Greater", CompareOp.Greater, a, b);

    /// <summary>a &gt;= b elementwise, broadcast, as a bool tensor.</summary>
    public static Tensor GreaterEqual(Tensor a, Tensor b) => CompareRaw("GreaterEqual", CompareOp.GreaterEqual, a, b);

    /// <summary>
    /// <see cref="Greater"/> as an operator; <c>&lt;</c>, <c>&gt;=</c> and <c>&lt;=</c> are <see cref="Less"/>,
    /// <see cref="GreaterEqual"/> and <see cref="LessEqual"/>. A C# number on either side takes the tensor's dtype, as in
    /// arithmetic. There is deliberately no elementwise <c>==</c> or <c>!=</c>: tensors are used as dictionary keys
    /// and in reference comparisons (tapes, optimizer state), which an overloaded <c>==</c> returning a tensor would
    /// break; use <see cref="Equal"/> and <see cref="NotEqual"/>.
    /// </summary>
    public static Tensor operator >(Tensor a, Tensor b) => Greater(a, b);

    /// <summary>a &lt; b elementwise: <see cref="Less"/>.</summary>
    public static Tensor operator <(Tensor a, Tensor b) => Less(a, b);

    /// <summary>a &gt;= b elementwise: <see cref="GreaterEqual"/>.</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => GreaterEqual(a, b);

    /// <summary>a &lt;= b elementwise: <see cref="LessEqual"/>.</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => LessEqual(a, b);

    /// <summary>a &gt; b elementwise, b in a's dtype.</summary>
    public static Tensor operator >(Tensor a, double b) => Greater(a, a.CompareOperand("Greater", b));

    /// <summary>a &lt; b elementwise, b in a's dtype.</summary>
    public static Tensor operator <(Tensor a, double b) => Less(a, a.CompareOperand("Less", b));

    /// <summary>a &gt;= b elementwise, b in a's dtype.</summary>
    public static Tensor operator >=(Tensor a, double b) => GreaterEqual(a, a.CompareOperand("GreaterEqual", b));

    /// <summary>a &lt;= b elementwise, b in a's dtype.</summary>
    public static Tensor operator <=(Tensor a, double b) => LessEqual(a, a.CompareOperand("LessEqual", b));

    /// <summary>a &gt; b elementwise, a in b's dtype.</summary>
    public static Tensor operator >(double a, Tensor b) => Greater(b.CompareOperand("Greater", a), b);

    /// <summary>a &lt; b elementwise, a in b's dtype.</summary>
    public static Tensor operator <(double a, Tensor b) => Less(b.CompareOperand("Less", a), b);

    /// <summary>a &gt;= b elementwise, a in b's dtype.</summary>
    public static Tensor operator >=(double a, Tensor b) => GreaterEqual(b.CompareOperand("GreaterEqual", a), b);

    /// <summary>a &lt;= b elementwise, a in b's dtype.</summary>
    public static Tensor operator <=(double a, Tensor b) => LessEqual(b.CompareOperand("LessEqual", a), b);

    // An integer tensor against 0.5 would otherwise compare against the truncated 0 and answer a different question;
    // TensorFlow refuses to convert such a number too.
    private Tensor CompareOperand(string name, double value)
    {
        bool exact = DType switch
        {
            DType.Int32 => value == Math.Floor(value) && value >= int.MinValue && value <= int.MaxValue,
            DType.Int64 => value == Math.Floor(value) && value >= long.MinValue && value < -(double)long.MinValue,
            _ => true,
        };
        if (!exact)
            throw new ArgumentException($"{name}: {value} is not representable as {DType.Name()}; cast the tensor to a float dtype first.");
        return Like(value);
    }

    /// <summary>Elementwise logical and of two bool tensors.</summary>
    public static Tensor LogicalAnd(Tensor a, Tensor b) => Where(a, b, a.Like(0));

    /// <summary>Elementwise logical or of two bool tensors.</summary>
    public static Tensor LogicalOr(Tensor a, Tensor b) => Where(a, a.Like(1), b);

    /// <summary>Elementwise logical not of a bool tensor.</summary>
    public Tensor LogicalNot() => Equal(this, Like(0));

    /// <summary>Picks a where <paramref name="condition"/> is true and b elsewhere; all three broadcast together.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.DType != DType.Bool)
            throw new ArgumentException($"Where: the condition must be bool, got {condition.DType.Name()}.");
        a.CheckSameDType("Where", b);
        a.CheckSameDevice("Where", b);
        condition.CheckSameDevice("Where", a);
        var shape = ShapeUtil.Broadcast("Where", ShapeUtil.Broadcast("Where", condition.Dims, a.Dims), b.Dims);
        var y = Empty(shape, a.DType, a.Backend);
        a.Backend.Where(condition.Storage, condition.Layout.BroadcastTo(shape), a.Storage, a.Layout.BroadcastTo(shape),
            b.Storage, b.Layout.BroadcastTo(shape), y.Storage);
        return GradientTape.Record(y, a, b, (g, i) =>
        {
            var zero = g.Like(0);
            return i == 0 ? SumTo(Where(condition, g, zero), a.Dims) : SumTo(Where(condition, zero, g), b.Dims);
        });
    }

    internal Tensor CastRaw(DType dtype)
    {
        if (dtype == DType) return this;
        var y = Empty(Dims, dtype, Backend);
        Backend.Cast(Storage, Layout, y.Storage);
        return y;
    }

    /// <summary>Converts to <paramref name="dtype"/> (float to integer truncates toward zero). Gradients pass between float dtypes.</summary>
    public Tensor Cast(DType dtype)
    {
        if (dtype == DType) return this;
        var y = CastRaw(dtype);
        var source = DType;
        return GradientTape.Record(y, this, (g, _) => source.IsFloat() ? g.Cast(source) : null);
    }

    /// <summary>The same values, seen by every tape as a constant.</summary>
    public Tensor StopGradient() => View(Layout);
}
