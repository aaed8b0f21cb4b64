using Descent.Backends;
using static Descent.Tests.Backends.BackendAgreement;

namespace Descent.Tests.Backends;

/// <summary>
/// Every primitive × dtype on the reference device against the CPU. Random inputs reach both through the same
/// layouts (contiguous, shifted, transposed, sliced at an offset, broadcast with stride 0) and the outputs must
/// agree: exactly for integers, bools, choices (max, gather, where) and correctly rounded float operations; within
/// a few ulps where the CPU approximates a transcendental function; within the summation error bound for sums and
/// dot products. Where the CPU rejects a dtype, the reference must throw the same exception type.
/// </summary>
public class ReferenceBackendTests
{
    private static readonly IBackend Cpu = Device.Cpu.Backend, Reference = Device.Reference.Backend;
    private static readonly int[] Shape = [3, 4, 5];
    private static readonly DType[] AllDTypes = Enum.GetValues<DType>();
    private static readonly Arrangement[] All = Enum.GetValues<Arrangement>();
    private static readonly Arrangement[] Writable = [Arrangement.Contiguous, Arrangement.Shifted, Arrangement.Transposed, Arrangement.Sliced];

    private static void Agree(Func<IBackend, Array> run, Within within, string what, Type? throws = null) =>
        BackendAgreement.Agree(Cpu, Reference, run, within, what, throws);

    private static Storage Output(IBackend backend, DType dtype, int length) => backend.Allocate(dtype, length, zeroed: false);

    private static Type? Rejects(bool accepted) => accepted ? null : typeof(ArgumentException);

    public static TheoryData<UnaryOp, DType> UnaryCases => Cases(Enum.GetValues<UnaryOp>());
    public static TheoryData<BinaryOp, DType> BinaryCases => Cases(Enum.GetValues<BinaryOp>());
    public static TheoryData<CompareOp, DType> CompareCases => Cases(Enum.GetValues<CompareOp>());
    public static TheoryData<ReduceOp, DType> ReduceCases => Cases(Enum.GetValues<ReduceOp>());
    public static TheoryData<ReduceOp, DType> ArgReduceCases => Cases([ReduceOp.Max, ReduceOp.Min]);
    public static TheoryData<DType> DTypeCases => [.. AllDTypes];

    private static TheoryData<TOp, DType> Cases<TOp>(TOp[] ops)
    {
        var data = new TheoryData<TOp, DType>();
        foreach (var op in ops)
            foreach (var dtype in AllDTypes) data.Add(op, dtype);
        return data;
    }

    // The CPU's float32 exp is a polynomial within 2 ulp, its float32 erf a rational fit within 1 ulp (FastErf), and
    // TensorPrimitives' sin, cos, log and pow are not correctly rounded either; everything else is one correctly rounded
    // operation, or exact.
    private static Within UnaryTolerance(UnaryOp op, DType dtype) => op switch
    {
        UnaryOp.Erf when dtype == DType.Float32 => new(1),
        UnaryOp.Exp or UnaryOp.Log or UnaryOp.Sin or UnaryOp.Cos or UnaryOp.Sigmoid or UnaryOp.Rsqrt => new(4),
        UnaryOp.Tanh or UnaryOp.Log1p => NearZero(dtype),
        _ => Within.Exactly,
    };

    // Near zero the CPU's log1p and tanh are only good to an ulp of 1, not of the result: log1p computes log(1 + x)
    // as written, losing a small x's digits to the rounding of 1 + x, and TensorPrimitives' tanh behaves alike
    // (its float32 tanh(±0) is ∓2⁻²⁴). The reference keeps those digits.
    private static Within NearZero(DType dtype) => new(4, Math.ScaleB(1.0, dtype == DType.Float32 ? -22 : -51));

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void Unary_matches_the_cpu(UnaryOp op, DType dtype)
    {
        var random = new Random(100 + (int)op * 8 + (int)dtype);
        bool accepted = dtype.IsFloat() || (dtype.IsInteger() && op is UnaryOp.Negate or UnaryOp.Abs or UnaryOp.Sign or UnaryOp.Square or UnaryOp.Relu);
        foreach (var arrangement in All)
        {
            var x = Make(random, dtype, Shape, arrangement);
            Agree(b =>
            {
                var y = Output(b, dtype, x.Layout.Size);
                b.Unary(op, x.On(b), x.Layout, y);
                return Download(b, y);
            }, UnaryTolerance(op, dtype), $"{op} {dtype} {arrangement}", Rejects(accepted));
        }
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_matches_the_cpu(BinaryOp op, DType dtype)
    {
        var random = new Random(200 + (int)op * 8 + (int)dtype);
        bool accepted = dtype.IsFloat() || (dtype.IsInteger() && op != BinaryOp.Pow);
        foreach (var left in All)
            foreach (var right in All)
            {
                var a = Make(random, dtype, Shape, left);
                var b = Make(random, dtype, Shape, right, op == BinaryOp.Divide ? Values.Nonzero : Values.Mixed);
                Agree(k =>
                {
                    var y = Output(k, dtype, a.Layout.Size);
                    k.Binary(op, a.On(k), a.Layout, b.On(k), b.Layout, y);
                    return Download(k, y);
                }, op == BinaryOp.Pow ? new(4) : Within.Exactly, $"{op} {dtype} {left} {right}", Rejects(accepted));
            }
    }

    [Theory]
    [MemberData(nameof(CompareCases))]
    public void Compare_matches_the_cpu(CompareOp op, DType dtype)
    {
        var random = new Random(300 + (int)op * 8 + (int)dtype);
        bool accepted = dtype != DType.Bool || op is CompareOp.Equal or CompareOp.NotEqual;
        foreach (var left in All)
            foreach (var right in All)
            {
                var a = Make(random, dtype, Shape, left, Values.Ties);
                var b = Make(random, dtype, Shape, right, Values.Ties);
                Agree(k =>
                {
                    var y = Output(k, DType.Bool, a.Layout.Size);
                    k.Compare(op, a.On(k), a.Layout, b.On(k), b.Layout, y);
                    return Download(k, y);
                }, Within.Exactly, $"{op} {dtype} {left} {right}", Rejects(accepted));
            }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void Where_matches_the_cpu(DType dtype)
    {
        var random = new Random(400 + (int)dtype);
        foreach (var c in All)
            foreach (var left in All)
                foreach (var right in All)
                {
                    var condition = Make(random, DType.Bool, Shape, c);
                    var a = Make(random, dtype, Shape, left);
                    var b = Make(random, dtype, Shape, right);
                    Agree(k =>
                    {
                        var y = Output(k, dtype, a.Layout.Size);
                        k.Where(condition.On(k), condition.Layout, a.On(k), a.Layout, b.On(k), b.Layout, y);
                        return Download(k, y);
                    }, Within.Exactly, $"Where {dtype} {c} {left} {right}");
                }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void Cast_matches_the_cpu(DType from)
    {
        var random = new Random(500 + (int)from);
        foreach (var to in AllDTypes)
            foreach (var arrangement in All)
            {
                var x = Make(random, from, Shape, arrangement, Values.Extreme);
                Agree(k =>
                {
                    var y = Output(k, to, x.Layout.Size);
                    k.Cast(x.On(k), x.Layout, y);
                    return Download(k, y);
                }, Within.Exactly, $"Cast {from} to {to} {arrangement}");
            }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void Fill_matches_the_cpu(DType dtype)
    {
        var random = new Random(600 + (int)dtype);
        foreach (double value in new[] { 2.7, -3, 0.1, 1e-45, -0.0, double.NaN, 3e9, double.PositiveInfinity })
            foreach (var arrangement in All)
            {
                var y = Make(random, dtype, Shape, arrangement);
                bool fits = dtype switch
                {
                    DType.Int32 => Math.Truncate(value) is >= int.MinValue and <= int.MaxValue,
                    DType.Int64 => Math.Truncate(value) is >= long.MinValue and < 9.3e18,
                    _ => true,
                };
                Agree(k =>
                {
                    var buffer = y.On(k);
                    k.Fill(buffer, y.Layout, value);
                    return Download(k, buffer);
                }, Within.Exactly, $"Fill {value} {dtype} {arrangement}", fits ? null : typeof(OverflowException));
            }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void Copy_matches_the_cpu_between_any_layouts(DType dtype)
    {
        var random = new Random(700 + (int)dtype);
        foreach (var from in All)
            foreach (var to in Writable)
            {
                var x = Make(random, dtype, Shape, from);
                var y = Make(random, dtype, Shape, to);
                Agree(k =>
                {
                    var buffer = y.On(k);
                    k.Copy(x.On(k), x.Layout, buffer, y.Layout);
                    return Download(k, buffer);
                }, Within.Exactly, $"Copy {dtype} {from} to {to}");
            }
    }

    private static readonly int[][] AxisSets = [[], [0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];

    [Theory]
    [MemberData(nameof(ReduceCases))]
    public void Reduce_matches_the_cpu_over_any_axes(ReduceOp op, DType dtype)
    {
        var random = new Random(800 + (int)op * 8 + (int)dtype);
        foreach (var axes in AxisSets)
            foreach (var arrangement in All)
            {
                // Sums of finite values, so the bound means something; max and min also meet NaN, ±∞ and ±0.
                var x = Make(random, dtype, Shape, arrangement, op == ReduceOp.Sum ? Values.Finite : Values.Mixed);
                int terms = axes.Aggregate(1, (n, axis) => n * Shape[axis]);
                Agree(k =>
                {
                    var y = Output(k, dtype, x.Layout.Size / terms);
                    k.Reduce(op, x.On(k), x.Layout, axes, y);
                    return Download(k, y);
                }, op == ReduceOp.Sum && dtype.IsFloat() ? Within.Sums(dtype, terms, 3) : Within.Exactly,
                    $"{op} {dtype} axes [{string.Join(",", axes)}] {arrangement}", Rejects(dtype != DType.Bool));
            }
    }

    [Theory]
    [MemberData(nameof(ArgReduceCases))]
    public void ArgReduce_matches_the_cpu_with_ties_nans_and_signed_zeros(ReduceOp op, DType dtype)
    {
        var random = new Random(900 + (int)op * 8 + (int)dtype);
        for (int axis = 0; axis < Shape.Length; axis++)
            foreach (var arrangement in All)
            {
                var x = Make(random, dtype, Shape, arrangement, Values.Ties);
                Agree(k =>
                {
                    var y = Output(k, DType.Int64, x.Layout.Size / Shape[axis]);
                    k.ArgReduce(op, x.On(k), x.Layout, axis, y);
                    return Download(k, y);
                }, Within.Exactly, $"Arg{op} {dtype} axis {axis} {arrangement}", Rejects(dtype != DType.Bool));
            }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void MatMul_matches_the_cpu_batched_transposed_sliced_and_broadcast(DType dtype)
    {
        var random = new Random(1000 + (int)dtype);
        foreach (var (aShape, bShape) in new (int[], int[])[] { ([3, 7], [7, 5]), ([2, 3, 7], [2, 7, 5]), ([2, 2, 3, 6], [2, 2, 6, 4]) })
            foreach (var left in All)
                foreach (var right in All)
                {
                    var a = Make(random, dtype, aShape, left, Values.Finite);
                    var b = Make(random, dtype, bShape, right, Values.Finite);
                    int k = aShape[^1];
                    Agree(backend =>
                    {
                        var y = Output(backend, dtype, a.Layout.Size / k * bShape[^1]);
                        backend.MatMul(a.On(backend), a.Layout, b.On(backend), b.Layout, y);
                        return Download(backend, y);
                    }, Within.Sums(dtype, k, 9), $"MatMul {dtype} {ShapeUtil.Format(aShape)} {left} @ {ShapeUtil.Format(bShape)} {right}",
                        Rejects(dtype.IsFloat()));
                }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void Gather_matches_the_cpu_for_each_axis_and_index_dtype(DType dtype)
    {
        var random = new Random(1100 + (int)dtype);
        foreach (var indexDType in new[] { DType.Int32, DType.Int64, DType.Float32 })
            for (int axis = 0; axis < Shape.Length; axis++)
                foreach (var from in All)
                    foreach (var pick in All)
                    {
                        var x = Make(random, dtype, Shape, from);
                        var indices = Make(random, indexDType, [2, 3], pick, Values.Index, Shape[axis]);
                        Agree(k =>
                        {
                            var y = Output(k, dtype, x.Layout.Size / Shape[axis] * 6);
                            k.Gather(x.On(k), x.Layout, axis, indices.On(k), indices.Layout, y);
                            return Download(k, y);
                        }, Within.Exactly, $"Gather {dtype} axis {axis} {from}, {indexDType} indices {pick}", Rejects(indexDType.IsInteger()));
                    }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void ScatterAdd_matches_the_cpu_with_repeated_indices(DType dtype)
    {
        var random = new Random(1200 + (int)dtype);
        foreach (var indexDType in new[] { DType.Int32, DType.Int64 })
            for (int axis = 0; axis < Shape.Length; axis++)
                foreach (var from in All)
                    foreach (var pick in All)
                    {
                        // Six picks from an axis of 3 to 5: most targets are hit more than once.
                        int[] updatesShape = [.. Shape[..axis], 2, 3, .. Shape[(axis + 1)..]];
                        var updates = Make(random, dtype, updatesShape, from, Values.Finite);
                        var indices = Make(random, indexDType, [2, 3], pick, Values.Index, Shape[axis]);
                        var start = Make(random, dtype, Shape, Arrangement.Contiguous, Values.Finite);
                        Agree(k =>
                        {
                            var y = start.On(k);
                            k.ScatterAdd(updates.On(k), updates.Layout, axis, indices.On(k), indices.Layout, y, Shape);
                            return Download(k, y);
                        }, Within.Sums(dtype, 7, 3), $"ScatterAdd {dtype} axis {axis} {from}, {indexDType} indices {pick}", Rejects(dtype.IsFloat()));
                    }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void BiasActivation_matches_the_cpu_with_and_without_bias(DType dtype)
    {
        var random = new Random(1300 + (int)dtype);
        foreach (var activation in Enum.GetValues<FusedActivation>())
            foreach (var target in new[] { Arrangement.Contiguous, Arrangement.Shifted })
                foreach (Arrangement? biasArrangement in All.Cast<Arrangement?>().Append(null))
                {
                    var y = Make(random, dtype, [6, 5], target);
                    var bias = biasArrangement is { } arrangement ? Make(random, dtype, [5], arrangement) : null;
                    Agree(k =>
                    {
                        var buffer = y.On(k);
                        k.BiasActivation(buffer, y.Layout, bias?.On(k), bias?.Layout, activation);
                        return Download(k, buffer);
                    }, activation switch { FusedActivation.Sigmoid => new(4), FusedActivation.Tanh => NearZero(dtype), _ => Within.Exactly },
                        $"BiasActivation {activation} {dtype} {target}, bias {biasArrangement?.ToString() ?? "none"}", Rejects(dtype.IsFloat()));
                }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void ScaledAdd_matches_the_cpu_bit_for_bit(DType dtype)
    {
        var random = new Random(1400 + (int)dtype);
        foreach (double alpha in new[] { -0.1, 1e-3 / 7, 2 })
            foreach (var target in Writable)
                foreach (var from in All)
                {
                    var y = Make(random, dtype, Shape, target);
                    var x = Make(random, dtype, Shape, from);
                    Agree(k =>
                    {
                        var buffer = y.On(k);
                        k.ScaledAdd(buffer, y.Layout, x.On(k), x.Layout, alpha);
                        return Download(k, buffer);
                    }, Within.Exactly, $"ScaledAdd {alpha} {dtype} {target} += {from}", Rejects(dtype.IsFloat()));
                }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void SoftmaxCrossEntropy_matches_the_cpu(DType dtype)
    {
        var random = new Random(1500 + (int)dtype);
        foreach (var labelDType in new[] { DType.Int32, DType.Int64 })
            foreach (var from in All)
                foreach (var pick in All)
                    foreach (bool withGradient in new[] { false, true })
                    {
                        var logits = Make(random, dtype, [6, 5], from, Values.Finite);
                        var labels = Make(random, labelDType, [6], pick, Values.Index, 5);
                        Agree(k =>
                        {
                            var loss = Output(k, dtype, 6);
                            var gradient = withGradient ? Output(k, dtype, 30) : null;
                            k.SoftmaxCrossEntropy(logits.On(k), logits.Layout, labels.On(k), labels.Layout, loss, gradient);
                            return gradient is null ? Download(k, loss) : Concat(Download(k, loss), Download(k, gradient));
                        }, Within.Sums(dtype, 5, 8), $"SoftmaxCrossEntropy {dtype} {from}, {labelDType} labels {pick}, gradient {withGradient}",
                            Rejects(dtype.IsFloat()));
                    }
    }

    private static Array Concat(Array first, Array second)
    {
        var both = Array.CreateInstance(first.GetType().GetElementType()!, first.Length + second.Length);
        first.CopyTo(both, 0);
        second.CopyTo(both, first.Length);
        return both;
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void Random_matches_the_cpu_bit_for_bit(DType dtype)
    {
        foreach (var distribution in Enum.GetValues<RandomDistribution>())
            foreach (ulong offset in new ulong[] { 0, 12345, ulong.MaxValue - 10 })
                Agree(k =>
                {
                    var y = Output(k, dtype, 37);
                    k.Random(distribution, 42, offset, -0.5, 2, y);
                    return Download(k, y);
                }, Within.Exactly, $"Random {distribution} {dtype} from {offset}", Rejects(dtype.IsFloat()));
    }

    [Fact]
    public void Integer_overflow_and_division_by_zero_throw_as_on_the_cpu()
    {
        foreach (var dtype in new[] { DType.Int32, DType.Int64 })
        {
            Array lowest = dtype == DType.Int32 ? new[] { int.MinValue } : new[] { long.MinValue };
            Array minusOne = dtype == DType.Int32 ? new[] { -1 } : new[] { -1L };
            Array zero = dtype == DType.Int32 ? new[] { 0 } : new[] { 0L };
            var scalar = Layout.Contiguous([1]);
            Array Binary(IBackend k, BinaryOp op, Array a, Array b)
            {
                var y = Output(k, dtype, 1);
                k.Binary(op, new Operand(a, scalar).On(k), scalar, new Operand(b, scalar).On(k), scalar, y);
                return Download(k, y);
            }
            Array Unary(IBackend k, UnaryOp op, Array x)
            {
                var y = Output(k, dtype, 1);
                k.Unary(op, new Operand(x, scalar).On(k), scalar, y);
                return Download(k, y);
            }
            Agree(k => Unary(k, UnaryOp.Abs, lowest), Within.Exactly, $"Abs(MinValue) {dtype}", typeof(OverflowException));
            Agree(k => Binary(k, BinaryOp.Divide, lowest, minusOne), Within.Exactly, $"MinValue / -1 {dtype}", typeof(OverflowException));
            Agree(k => Binary(k, BinaryOp.Divide, minusOne, zero), Within.Exactly, $"-1 / 0 {dtype}", typeof(DivideByZeroException));
            // Negation and products wrap instead.
            Agree(k => Unary(k, UnaryOp.Negate, lowest), Within.Exactly, $"-MinValue {dtype}");
            Agree(k => Binary(k, BinaryOp.Multiply, lowest, lowest), Within.Exactly, $"MinValue * MinValue {dtype}");
        }
    }

    [Fact]
    public void Scalars_and_empty_tensors_match_the_cpu()
    {
        var random = new Random(1600);
        var scalar = Make(random, DType.Float32, [], Arrangement.Contiguous, Values.Finite);
        Agree(k =>
        {
            var y = Output(k, DType.Float32, 1);
            k.Unary(UnaryOp.Exp, scalar.On(k), scalar.Layout, y);
            return Download(k, y);
        }, new(4), "Exp of a scalar");
        Agree(k =>
        {
            var y = Output(k, DType.Float32, 1);
            k.Reduce(ReduceOp.Sum, scalar.On(k), scalar.Layout, [], y);
            return Download(k, y);
        }, Within.Exactly, "Sum of a scalar over no axes");

        var empty = Make(random, DType.Float32, [3, 0, 2], Arrangement.Contiguous);
        Agree(k =>
        {
            var y = Output(k, DType.Float32, 6);
            k.Reduce(ReduceOp.Sum, empty.On(k), empty.Layout, [1], y);
            return Download(k, y);
        }, Within.Exactly, "Sum over an empty axis is zero");
        foreach (var op in new[] { ReduceOp.Max, ReduceOp.Min })
        {
            Agree(k =>
            {
                var y = Output(k, DType.Float32, 6);
                k.Reduce(op, empty.On(k), empty.Layout, [1], y);
                return Download(k, y);
            }, Within.Exactly, $"{op} over an empty axis", typeof(ArgumentException));
            Agree(k =>
            {
                var y = Output(k, DType.Int64, 6);
                k.ArgReduce(op, empty.On(k), empty.Layout, 1, y);
                return Download(k, y);
            }, Within.Exactly, $"Arg{op} over an empty axis", typeof(ArgumentException));
        }
    }
}
