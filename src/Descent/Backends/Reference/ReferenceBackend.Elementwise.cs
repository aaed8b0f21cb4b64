using System.Numerics;

namespace Descent.Backends.Reference;

// Elementwise primitives: each output element i comes from the inputs' elements i, found through At.
// Floats are computed in double and rounded once on the store; integers in long, wrapped on the store.
internal sealed partial class ReferenceBackend
{
    public void Unary(UnaryOp op, Storage x, Layout xLayout, Storage y)
    {
        var (input, output) = (Own(x, "Unary"), Own(y, "Unary"));
        Expect($"{op}", x.DType, y);
        if (x.DType.IsFloat())
        {
            var f = RealFunction(op);
            for (int i = 0; i < xLayout.Size; i++) output.SetReal(i, f(input.Real(At(xLayout, i))));
        }
        else if (x.DType.IsInteger())
        {
            var f = IntegerFunction(op, x.DType);
            for (int i = 0; i < xLayout.Size; i++) output.SetInteger(i, f(input.Integer(At(xLayout, i))));
        }
        else throw new ArgumentException($"{op}: not defined for bool tensors.");
    }

    private static Func<double, double> RealFunction(UnaryOp op) => op switch
    {
        UnaryOp.Negate => x => -x,
        UnaryOp.Abs => Math.Abs,
        UnaryOp.Sign => x => x > 0 ? 1 : x < 0 ? -1 : x, // ±0 and NaN pass through
        UnaryOp.Square => x => x * x,
        UnaryOp.Sqrt => Math.Sqrt,
        UnaryOp.Rsqrt => x => 1 / Math.Sqrt(x),
        UnaryOp.Reciprocal => x => 1 / x,
        UnaryOp.Exp => Math.Exp,
        UnaryOp.Log => Math.Log,
        UnaryOp.Log1p => Log1p,
        UnaryOp.Sin => Math.Sin,
        UnaryOp.Cos => Math.Cos,
        UnaryOp.Tanh => Math.Tanh,
        UnaryOp.Sigmoid => x => 1 / (1 + Math.Exp(-x)), // e^-x = ∞ for large negative x gives a clean 0
        UnaryOp.Relu => x => Math.Max(x, 0),           // IEEE maximum: NaN stays NaN, −0 becomes +0
        UnaryOp.Erf => SpecialFunctions.Erf,
        UnaryOp.Floor => Math.Floor,
        UnaryOp.Round => Math.Round,                   // halves to even, as TensorFlow's round
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op."),
    };

    // log(1 + x) keeping the digits of a small x, which 1 + x rounds away: u − 1 is exactly the x that was added,
    // so log(u) · x / (u − 1) undoes the rounding (Goldberg, "What every computer scientist should know…", thm. 4).
    private static double Log1p(double x)
    {
        double u = 1 + x;
        if (u == 1) return x;
        if (double.IsPositiveInfinity(u)) return u;
        return Math.Log(u) * (x / (u - 1));
    }

    private static Func<long, long> IntegerFunction(UnaryOp op, DType dtype) => op switch
    {
        UnaryOp.Negate => x => -x, // wraps at MinValue
        UnaryOp.Abs => x => Fits(dtype, Math.Abs(x)),
        UnaryOp.Sign => x => Math.Sign(x),
        UnaryOp.Square => x => x * x,
        UnaryOp.Relu => x => Math.Max(x, 0),
        _ => throw new ArgumentException($"{op}: not defined for {dtype.Name()} tensors; cast to a float dtype first."),
    };

    // |MinValue| and MinValue / −1 overflow instead of wrapping, as they do in C# and on the CPU backend
    // (long arithmetic throws by itself; an int32 result computed in long needs the check).
    private static long Fits(DType dtype, long value) =>
        dtype == DType.Int32 && value is > int.MaxValue or < int.MinValue ? throw new OverflowException($"{value} does not fit in int32.") : value;

    public void Binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        var (left, right, output) = (Own(a, "Binary"), Own(b, "Binary"), Own(y, "Binary"));
        Expect($"{op}", y.DType, a, b);
        if (y.DType.IsFloat())
        {
            var f = RealFunction(op);
            for (int i = 0; i < aLayout.Size; i++) output.SetReal(i, f(left.Real(At(aLayout, i)), right.Real(At(bLayout, i))));
        }
        else if (y.DType.IsInteger())
        {
            var f = IntegerFunction(op, y.DType);
            for (int i = 0; i < aLayout.Size; i++) output.SetInteger(i, f(left.Integer(At(aLayout, i)), right.Integer(At(bLayout, i))));
        }
        else throw new ArgumentException($"{op}: not defined for bool tensors.");
    }

    private static Func<double, double, double> RealFunction(BinaryOp op) => op switch
    {
        BinaryOp.Add => (a, b) => a + b,
        BinaryOp.Subtract => (a, b) => a - b,
        BinaryOp.Multiply => (a, b) => a * b,
        BinaryOp.Divide => (a, b) => a / b,
        BinaryOp.Pow => Math.Pow,
        BinaryOp.Maximum => Math.Max, // IEEE maximum and minimum: NaN wins, +0 > −0
        BinaryOp.Minimum => Math.Min,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op."),
    };

    private static Func<long, long, long> IntegerFunction(BinaryOp op, DType dtype) => op switch
    {
        BinaryOp.Add => (a, b) => a + b,
        BinaryOp.Subtract => (a, b) => a - b,
        BinaryOp.Multiply => (a, b) => a * b,
        BinaryOp.Divide => (a, b) => Fits(dtype, a / b), // truncates toward zero; throws on a zero divisor
        BinaryOp.Maximum => Math.Max,
        BinaryOp.Minimum => Math.Min,
        BinaryOp.Pow => throw new ArgumentException($"Pow: not defined for {dtype.Name()} tensors; cast to a float dtype first."),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op."),
    };

    public void Compare(CompareOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        var (left, right, output) = (Own(a, "Compare"), Own(b, "Compare"), Own(y, "Compare"));
        Expect($"{op}", a.DType, b);
        Expect($"{op}", DType.Bool, y);
        Func<int, int, bool> test = a.DType switch
        {
            DType.Float32 or DType.Float64 => (i, j) => Holds(op, left.Real(i), right.Real(j)),
            DType.Int32 or DType.Int64 => (i, j) => Holds(op, left.Integer(i), right.Integer(j)),
            _ when op == CompareOp.Equal => (i, j) => left.Bool(i) == right.Bool(j),
            _ when op == CompareOp.NotEqual => (i, j) => left.Bool(i) != right.Bool(j),
            _ => throw new ArgumentException($"{op}: bool tensors only compare for equality; cast them first."),
        };
        for (int i = 0; i < aLayout.Size; i++) output.SetBool(i, test(At(aLayout, i), At(bLayout, i)));
    }

    // IEEE comparisons: NaN is unordered, so everything but "not equal" is false for it.
    private static bool Holds<T>(CompareOp op, T a, T b) where T : INumber<T> => op switch
    {
        CompareOp.Equal => a == b,
        CompareOp.NotEqual => a != b,
        CompareOp.Less => a < b,
        CompareOp.LessEqual => a <= b,
        CompareOp.Greater => a > b,
        _ => a >= b,
    };

    public void Where(Storage condition, Layout conditionLayout, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        var (test, left, right, output) = (Own(condition, "Where"), Own(a, "Where"), Own(b, "Where"), Own(y, "Where"));
        Expect("Where", DType.Bool, condition);
        Expect("Where", y.DType, a, b);
        for (int i = 0; i < conditionLayout.Size; i++)
        {
            if (test.Bool(At(conditionLayout, i))) left.CopyTo(At(aLayout, i), output, i);
            else right.CopyTo(At(bLayout, i), output, i);
        }
    }

    public void Cast(Storage x, Layout xLayout, Storage y)
    {
        var (input, output) = (Own(x, "Cast"), Own(y, "Cast"));
        for (int i = 0; i < xLayout.Size; i++)
        {
            int from = At(xLayout, i);
            if (x.DType == y.DType) input.CopyTo(from, output, i);
            else if (x.DType.IsFloat()) CastReal(input.Real(from), output, i);
            else if (x.DType.IsInteger()) CastInteger(input.Integer(from), output, i);
            else CastInteger(input.Bool(from) ? 1 : 0, output, i);
        }
    }

    private static void CastReal(double value, ReferenceStorage y, int i)
    {
        switch (y.DType)
        {
            case DType.Float32 or DType.Float64: y.SetReal(i, value); break;
            // Truncates toward zero, saturating at the ends, NaN to 0: C#'s conversion, and TensorFlow's cast.
            case DType.Int32: y.SetInteger(i, (int)value); break;
            case DType.Int64: y.SetInteger(i, (long)value); break;
            default: y.SetBool(i, value != 0); break; // NaN is true, −0 false
        }
    }

    private static void CastInteger(long value, ReferenceStorage y, int i)
    {
        switch (y.DType)
        {
            // Straight from long: through double first, 2⁵³ + 2²⁹ + 1 would be rounded twice and land on the wrong float.
            case DType.Float32: y.SetReal(i, (float)value); break;
            case DType.Float64: y.SetReal(i, value); break;
            case DType.Int32 or DType.Int64: y.SetInteger(i, value); break; // int64 to int32 wraps
            default: y.SetBool(i, value != 0); break;
        }
    }

    public void Fill(Storage dst, Layout dstLayout, double value)
    {
        var output = Own(dst, "Fill");
        switch (dst.DType)
        {
            case DType.Float32 or DType.Float64:
                for (int i = 0; i < dstLayout.Size; i++) output.SetReal(At(dstLayout, i), value);
                break;
            case DType.Int32 or DType.Int64:
                // A value the integer cannot hold is an error, not a silent wrap.
                long integer = dst.DType == DType.Int32 ? checked((int)value) : checked((long)value);
                for (int i = 0; i < dstLayout.Size; i++) output.SetInteger(At(dstLayout, i), integer);
                break;
            default:
                for (int i = 0; i < dstLayout.Size; i++) output.SetBool(At(dstLayout, i), value != 0);
                break;
        }
    }
}
