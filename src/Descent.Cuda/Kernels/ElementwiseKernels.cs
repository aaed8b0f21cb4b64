using Descent.Backends;

namespace Descent.Cuda.Kernels;

/// <summary>
/// The elementwise family: copy, fill, unary, binary, compare, where, cast, and the in-place scaled add and bias +
/// activation epilogue. Each is one <see cref="Map"/>: a grid-stride loop over the n elements of the output's shape,
/// every operand (output included) addressed through its own collapsed layout of rank R, so any view works. Floats
/// follow IEEE as the CPU does (no fast-math; maximum and minimum propagate NaN); integer arithmetic wraps.
/// </summary>
internal static class ElementwiseKernels
{
    /// <summary>
    /// y[ly(i)] = <paramref name="result"/> for i in [0, n), where the input named v reads x_j[l_j(i)]. Parameters:
    /// n, y, ly, then (x_j, l_j) per input, then <paramref name="scalars"/>.
    /// </summary>
    public static KernelSpec Map(string name, int rank, string outType, (string Var, string CType)[] inputs, KernelParam[] scalars,
        string result, string statements = "")
    {
        var parameters = new List<KernelParam> { KernelParam.Int("n"), KernelParam.Out("y", outType), KernelParam.Lay("ly", rank) };
        var body = new System.Text.StringBuilder();
        for (int j = 0; j < inputs.Length; j++)
        {
            parameters.Add(KernelParam.In($"x{j}", inputs[j].CType));
            parameters.Add(KernelParam.Lay($"l{j}", rank));
            body.Append($"{inputs[j].CType} {inputs[j].Var} = x{j}[at<{rank}>(l{j}, i)];\n");
        }
        parameters.AddRange(scalars);
        if (statements.Length > 0) body.Append(statements.Trim('\n')).Append('\n');
        body.Append($"y[at<{rank}>(ly, i)] = {result};\n");
        return new KernelSpec(name, parameters, CTypes.GridLoop("n", body.ToString()));
    }

    public static KernelSpec Copy(DType dtype, int rank) =>
        Map($"copy_{CTypes.Tag(dtype)}_r{rank}", rank, CTypes.Of(dtype), [("a", CTypes.Of(dtype))], [], "a");

    /// <summary>The value arrives as a scalar of the dtype (bool as an int 0 or 1).</summary>
    public static KernelSpec Fill(DType dtype, int rank) =>
        Map($"fill_{CTypes.Tag(dtype)}_r{rank}", rank, CTypes.Of(dtype), [], [KernelParam.Scalar("v", CTypes.Of(dtype))],
            dtype == DType.Bool ? "(u8)(v != 0)" : "v");

    public static KernelSpec Unary(UnaryOp op, DType dtype, int rank) =>
        Map($"unary_{op.ToString().ToLowerInvariant()}_{CTypes.Tag(dtype)}_r{rank}", rank, CTypes.Of(dtype), [("a", CTypes.Of(dtype))], [],
            UnaryExpression(op, dtype));

    public static KernelSpec Binary(BinaryOp op, DType dtype, int rank) =>
        Map($"binary_{op.ToString().ToLowerInvariant()}_{CTypes.Tag(dtype)}_r{rank}", rank, CTypes.Of(dtype),
            [("a", CTypes.Of(dtype)), ("b", CTypes.Of(dtype))], [], BinaryExpression(op, dtype));

    public static KernelSpec Compare(CompareOp op, DType dtype, int rank) =>
        Map($"compare_{op.ToString().ToLowerInvariant()}_{CTypes.Tag(dtype)}_r{rank}", rank, "u8",
            [("a", CTypes.Of(dtype)), ("b", CTypes.Of(dtype))], [], CompareExpression(op, dtype));

    public static KernelSpec Where(DType dtype, int rank) =>
        Map($"where_{CTypes.Tag(dtype)}_r{rank}", rank, CTypes.Of(dtype),
            [("c", "u8"), ("a", CTypes.Of(dtype)), ("b", CTypes.Of(dtype))], [], "c ? a : b");

    public static KernelSpec Cast(DType from, DType to, int rank) =>
        Map($"cast_{CTypes.Tag(from)}_{CTypes.Tag(to)}_r{rank}", rank, CTypes.Of(to), [("a", CTypes.Of(from))], [], CastExpression(from, to));

    /// <summary>
    /// y += alpha·x in place, rounded as the unfused spelling is: the product, then the sum, each rounded once (the
    /// _rn intrinsics forbid the compiler's fused multiply-add), so an optimizer step gives the CPU's bits.
    /// </summary>
    public static KernelSpec ScaledAdd(DType dtype, int rank)
    {
        string t = CTypes.Of(dtype);
        string result = dtype == DType.Float32 ? "__fadd_rn(a, __fmul_rn(alpha, b))" : "__dadd_rn(a, __dmul_rn(alpha, b))";
        return Map($"scaled_add_{CTypes.Tag(dtype)}_r{rank}", rank, t, [("a", t), ("b", t)], [KernelParam.Scalar("alpha", t)], result);
    }

    /// <summary>
    /// In place on y: the bias (seen with stride 0 down the rows) is added when present, then the activation. Without
    /// a bias nothing is added at all, since y + 0 would turn −0 into +0.
    /// </summary>
    public static KernelSpec BiasActivation(DType dtype, FusedActivation activation, bool bias, int rank)
    {
        string t = CTypes.Of(dtype);
        (string Var, string CType)[] inputs = bias ? [("a", t), ("b", t)] : [("a", t)];
        string name = $"bias_{activation.ToString().ToLowerInvariant()}{(bias ? "" : "_nobias")}_{CTypes.Tag(dtype)}_r{rank}";
        return Map(name, rank, t, inputs, [], Activation(activation, dtype, "v"), $"{t} v = {(bias ? "a + b" : "a")};");
    }

    /// <summary>The activation of <paramref name="v"/>, as the unary op of the same name computes it.</summary>
    public static string Activation(FusedActivation activation, DType dtype, string v) => activation switch
    {
        FusedActivation.Relu => UnaryExpression(UnaryOp.Relu, dtype, v),
        FusedActivation.Sigmoid => UnaryExpression(UnaryOp.Sigmoid, dtype, v),
        FusedActivation.Tanh => UnaryExpression(UnaryOp.Tanh, dtype, v),
        _ => v,
    };

    /// <summary>Which unary ops integers support; the others are for floats only (the backend rejects them first).</summary>
    public static bool IntegerUnary(UnaryOp op) => op is UnaryOp.Negate or UnaryOp.Abs or UnaryOp.Sign or UnaryOp.Square or UnaryOp.Relu;

    /// <summary>The expression of <paramref name="op"/> applied to a variable named a.</summary>
    public static string UnaryExpression(UnaryOp op, DType dtype, string a = "a")
    {
        if (dtype.IsInteger())
        {
            string t = CTypes.Of(dtype), u = dtype == DType.Int32 ? "u32" : "u64";
            return op switch
            {
                UnaryOp.Negate => $"({t})(({u})0 - ({u}){a})",
                UnaryOp.Abs => $"({a} < 0 ? ({t})(({u})0 - ({u}){a}) : {a})",
                UnaryOp.Sign => $"({t})(({a} > 0) - ({a} < 0))",
                UnaryOp.Square => $"({t})(({u}){a} * ({u}){a})",
                UnaryOp.Relu => $"({a} > 0 ? {a} : ({t})0)",
                _ => throw new ArgumentException($"{op}: not defined for {dtype.Name()} tensors; cast to a float dtype first."),
            };
        }
        if (!dtype.IsFloat()) throw new ArgumentException($"{op}: not defined for bool tensors.");
        string one = One(dtype), zero = Zero(dtype);
        return op switch
        {
            UnaryOp.Negate => $"-{a}",
            UnaryOp.Abs => $"{F("fabs", dtype)}({a})",
            UnaryOp.Sign => $"({a} > {zero} ? {one} : ({a} < {zero} ? -{one} : {a}))", // ±0 and NaN pass through
            UnaryOp.Square => $"{a} * {a}",
            UnaryOp.Sqrt => $"{F("sqrt", dtype)}({a})",
            UnaryOp.Rsqrt => $"{one} / {F("sqrt", dtype)}({a})", // rsqrt is an approximation; the CPU divides
            UnaryOp.Reciprocal => $"{one} / {a}",
            UnaryOp.Exp => $"{F("exp", dtype)}({a})",
            UnaryOp.Log => $"{F("log", dtype)}({a})",
            UnaryOp.Log1p => $"{F("log1p", dtype)}({a})",
            UnaryOp.Sin => $"{F("sin", dtype)}({a})",
            UnaryOp.Cos => $"{F("cos", dtype)}({a})",
            UnaryOp.Tanh => $"{F("tanh", dtype)}({a})",
            UnaryOp.Sigmoid => $"{one} / ({one} + {F("exp", dtype)}(-{a}))", // e^-a = inf for large negative a gives a clean 0
            UnaryOp.Relu => $"({a} != {a} ? {a} : ({a} > {zero} ? {a} : {zero}))", // NaN stays NaN, -0 becomes +0
            UnaryOp.Erf => $"{F("erf", dtype)}({a})",
            UnaryOp.Floor => $"{F("floor", dtype)}({a})",
            UnaryOp.Round => $"{F("rint", dtype)}({a})", // halves to even
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op."),
        };
    }

    /// <summary>The expression of <paramref name="op"/> on variables a and b.</summary>
    public static string BinaryExpression(BinaryOp op, DType dtype)
    {
        if (dtype.IsInteger())
        {
            string t = CTypes.Of(dtype), u = dtype == DType.Int32 ? "u32" : "u64";
            return op switch
            {
                BinaryOp.Add => $"({t})(({u})a + ({u})b)",
                BinaryOp.Subtract => $"({t})(({u})a - ({u})b)",
                BinaryOp.Multiply => $"({t})(({u})a * ({u})b)",
                // A kernel cannot throw: a zero divisor gives 0 and MinValue / -1 wraps (the CPU throws for both).
                BinaryOp.Divide => $"(b == 0 ? ({t})0 : (b == -1 ? ({t})(({u})0 - ({u})a) : a / b))",
                BinaryOp.Maximum => "vmax(a, b)",
                BinaryOp.Minimum => "vmin(a, b)",
                BinaryOp.Pow => throw new ArgumentException($"Pow: not defined for {dtype.Name()} tensors; cast to a float dtype first."),
                _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op."),
            };
        }
        if (!dtype.IsFloat()) throw new ArgumentException($"{op}: not defined for bool tensors.");
        return op switch
        {
            BinaryOp.Add => "a + b",
            BinaryOp.Subtract => "a - b",
            BinaryOp.Multiply => "a * b",
            BinaryOp.Divide => "a / b",
            BinaryOp.Pow => $"{F("pow", dtype)}(a, b)",
            BinaryOp.Maximum => "vmax(a, b)",
            BinaryOp.Minimum => "vmin(a, b)",
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op."),
        };
    }

    public static string CompareExpression(CompareOp op, DType dtype)
    {
        string symbol = op switch
        {
            CompareOp.Equal => "==",
            CompareOp.NotEqual => "!=",
            CompareOp.Less => "<",
            CompareOp.LessEqual => "<=",
            CompareOp.Greater => ">",
            CompareOp.GreaterEqual => ">=",
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown comparison."),
        };
        if (dtype != DType.Bool) return $"(u8)(a {symbol} b)"; // IEEE: NaN is unordered
        if (op is not (CompareOp.Equal or CompareOp.NotEqual))
            throw new ArgumentException($"{op}: bool tensors only compare for equality; cast them first.");
        return $"(u8)((a != 0) {symbol} (b != 0))";
    }

    /// <summary>
    /// The conversion of a to <paramref name="to"/>: floats to integers truncate toward zero, saturate and send NaN to
    /// 0 (C#'s conversion; PTX's cvt.rzi does exactly that); integers to floats round to nearest once; int64 to int32
    /// wraps; anything non-zero (NaN too) is true.
    /// </summary>
    public static string CastExpression(DType from, DType to)
    {
        if (from == to) return "a";
        if (to == DType.Bool) return "(u8)(a != 0)";
        if (from == DType.Bool) return to switch
        {
            DType.Float32 => "(a != 0 ? 1.0f : 0.0f)",
            DType.Float64 => "(a != 0 ? 1.0 : 0.0)",
            _ => $"({CTypes.Of(to)})(a != 0)",
        };
        return (from, to) switch
        {
            (DType.Float32, DType.Float64) => "(double)a",
            (DType.Float64, DType.Float32) => "__double2float_rn(a)",
            (DType.Float32, DType.Int32) => "__float2int_rz(a)",
            (DType.Float32, DType.Int64) => "__float2ll_rz(a)",
            (DType.Float64, DType.Int32) => "__double2int_rz(a)",
            (DType.Float64, DType.Int64) => "__double2ll_rz(a)",
            (DType.Int32, DType.Float32) => "__int2float_rn(a)",
            (DType.Int32, DType.Float64) => "(double)a",
            (DType.Int64, DType.Float32) => "__ll2float_rn(a)",
            (DType.Int64, DType.Float64) => "__ll2double_rn(a)",
            (DType.Int32, DType.Int64) => "(i64)a",
            (DType.Int64, DType.Int32) => "(int)(u32)(u64)a",
            _ => throw new ArgumentOutOfRangeException(nameof(to), to, $"Cast from {from.Name()} to {to.Name()}."),
        };
    }

    /// <summary>The float or double name of a math function: expf for float32, exp for float64.</summary>
    public static string F(string function, DType dtype) => dtype == DType.Float32 ? function + "f" : function;

    public static string One(DType dtype) => dtype == DType.Float32 ? "1.0f" : "1.0";

    public static string Zero(DType dtype) => dtype == DType.Float32 ? "0.0f" : "0.0";
}
