using CsCheck;

namespace Descent.Tests.Agreement;

/// <summary>Property: unary, binary (broadcast), comparison, where and cast ops give, on any device, a result on that device with the CPU's values.</summary>
[OnEveryDevice]
public class ElementwiseAgreementTests
{
    private readonly DeviceAgreement _agree = new(Device.Default);

    private static readonly (string Name, Func<Tensor, Tensor> Op, double Lo, double Hi)[] Unary =
    [
        ("square", x => x.Square(), -4, 4), ("sqrt", x => x.Sqrt(), 0.01, 9), ("rsqrt", x => x.Rsqrt(), 0.01, 9),
        ("exp", x => x.Exp(), -8, 8), ("log", x => x.Log(), 0.01, 9), ("log1p", x => x.Log1p(), -0.9, 9),
        ("abs", x => x.Abs(), -4, 4), ("sign", x => x.Sign(), -4, 4), ("negate", x => -x, -4, 4),
        ("sin", x => x.Sin(), -6, 6), ("cos", x => x.Cos(), -6, 6), ("erf", x => x.Erf(), -3, 3),
        ("sigmoid", x => x.Sigmoid(), -20, 20), ("tanh", x => x.Tanh(), -6, 6), ("relu", x => x.Relu(), -4, 4),
        ("leaky relu", x => x.LeakyRelu(0.1), -4, 4), ("elu", x => x.Elu(), -4, 4), ("gelu", x => x.Gelu(), -4, 4),
        ("gelu tanh", x => x.Gelu(approximate: true), -4, 4), ("softplus", x => x.Softplus(), -20, 20),
        ("pow 2.5", x => x.Pow(2.5), 0.01, 9), ("clip", x => x.Clip(-1, 0.5), -4, 4),
        ("scalar arithmetic", x => (2.0 - x * 3.0) / 4.0 + 1.0, -4, 4), ("scalar divided by", x => 1.0 / x, 0.5, 4),
        ("stop gradient", x => x.StopGradient(), -4, 4), ("check numerics", x => x.CheckNumerics("finite"), -4, 4),
        ("logical not", x => x.LogicalNot(), -1, 1),
    ];

    [Fact]
    public void Unary_ops_and_their_gradients_match_the_cpu_on_random_shapes() =>
        (from op in Gen.Int[0, Unary.Length - 1]
         from dtype in Draw.Float
         from shape in Draw.Shape()
         from x in Draw.Real(shape, dtype, Unary[op].Lo, Unary[op].Hi)
         select (Op: op, X: x))
        .ForAll(c => _agree.Check(Unary[c.Op].Name, t => Unary[c.Op].Op(t[0]), [c.X], DeviceAgreement.Elementwise(c.X.DType), gradients: true),
            c => $"{Unary[c.Op].Name} of {c.X}", 300);

    private static readonly (string Name, Func<Tensor, Tensor, Tensor> Op)[] Binary =
    [
        ("add", (a, b) => a + b), ("subtract", (a, b) => a - b), ("multiply", (a, b) => a * b),
        ("divide", (a, b) => a / (b.Abs() + 0.5)), ("maximum", Tensor.Maximum), ("minimum", Tensor.Minimum),
        ("pow", (a, b) => Tensor.Pow(a.Abs() + 0.1, b)),
    ];

    private static Gen<(int[] A, int[] B)> BroadcastPair =>
        from full in Draw.Shape()
        from a in Draw.BroadcastableTo(full)
        from b in Draw.BroadcastableTo(full)
        select (a, b);

    [Fact]
    public void Binary_ops_broadcast_and_differentiate_as_on_the_cpu() =>
        (from op in Gen.Int[0, Binary.Length - 1]
         from dtype in Draw.Float
         from shapes in BroadcastPair
         from a in Draw.Real(shapes.A, dtype)
         from b in Draw.Real(shapes.B, dtype, -2, 2)
         select (Op: op, A: a, B: b))
        .ForAll(c => _agree.Check(Binary[c.Op].Name, t => Binary[c.Op].Op(t[0], t[1]), [c.A, c.B], DeviceAgreement.Elementwise(c.A.DType), gradients: true),
            c => $"{Binary[c.Op].Name} of {c.A} and {c.B}", 300);

    private static readonly (string Name, Func<Tensor, Tensor, Tensor> Op)[] Comparisons =
    [
        ("equal", Tensor.Equal), ("not equal", Tensor.NotEqual), ("less", Tensor.Less), ("less equal", Tensor.LessEqual),
        ("greater", Tensor.Greater), ("greater equal", Tensor.GreaterEqual),
        ("logical and", (a, b) => Tensor.LogicalAnd(Tensor.Greater(a, a.Like(0)), Tensor.Less(b, b.Like(0)))),
        ("logical or", (a, b) => Tensor.LogicalOr(Tensor.Greater(a, a.Like(0)), Tensor.Less(b, b.Like(0)))),
    ];

    [Fact]
    public void Comparisons_on_ties_and_logic_match_the_cpu_exactly() =>
        (from op in Gen.Int[0, Comparisons.Length - 1]
         from dtype in Gen.OneOfConst(DType.Float32, DType.Float64, DType.Int32, DType.Int64)
         from shapes in BroadcastPair
         from a in Draw.Whole(shapes.A, dtype, -2, 2)
         from b in Draw.Whole(shapes.B, dtype, -2, 2)
         select (Op: op, A: a, B: b))
        .ForAll(c => _agree.Check(Comparisons[c.Op].Name, t => Comparisons[c.Op].Op(t[0], t[1]), [c.A, c.B], 0),
            c => $"{Comparisons[c.Op].Name} of {c.A} and {c.B}");

    [Fact]
    public void Where_broadcasts_condition_and_branches_and_routes_gradients_as_on_the_cpu() =>
        (from dtype in Draw.Float
         from full in Draw.Shape()
         from c in Draw.BroadcastableTo(full)
         from a in Draw.BroadcastableTo(full)
         from b in Draw.BroadcastableTo(full)
         from condition in Draw.Whole(c, DType.Bool, 0, 1)
         from x in Draw.Real(a, dtype)
         from y in Draw.Real(b, dtype)
         select (Condition: condition, X: x, Y: y))
        .ForAll(c => _agree.Check("where", t => Tensor.Where(t[0], t[1], t[2]), [c.Condition, c.X, c.Y], 0, gradients: true),
            c => $"where {c.Condition} then {c.X} else {c.Y}");

    private static readonly DType[] AllDTypes = [DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.Bool];

    [Fact]
    public void Casts_between_every_pair_of_dtypes_match_the_cpu_exactly() =>
        (from from_ in Gen.OneOfConst(AllDTypes)
         from to in Gen.OneOfConst(AllDTypes)
         from shape in Draw.Shape()
         // Quarters in [-8, 8]: exact in every float dtype, and truncation toward zero decides the integer casts.
         from quarters in Gen.Int[-32, 32].Array[Draw.Size(shape)]
         select (X: new HostTensor(quarters.Select(q => from_.IsFloat() ? q / 4.0 : from_ == DType.Bool ? q & 1 : q / 4).ToArray(), shape, from_), To: to))
        .ForAll(c => _agree.Check($"cast to {c.To}", t => t[0].Cast(c.To), [c.X], 0, gradients: true),
            c => $"{c.X} to {c.To}");
}
