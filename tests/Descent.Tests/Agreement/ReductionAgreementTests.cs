using CsCheck;

namespace Descent.Tests.Agreement;

/// <summary>Property: reductions over random axes, softmax, matmul and the fused dense and cross-entropy kernels give the CPU's values on any device, on that device.</summary>
[OnEveryDevice]
public class ReductionAgreementTests
{
    private readonly DeviceAgreement _agree = new(Device.Default);

    // Sums of whole numbers are exact in any order, so these must agree to the bit (mean to its one rounding).
    private static readonly (string Name, Func<Tensor, int[]?, bool, Tensor> Op, bool Exact)[] OnWholeNumbers =
    [
        ("sum", (x, axes, keep) => x.Sum(axes, keep), true), ("max", (x, axes, keep) => x.Max(axes, keep), true),
        ("min", (x, axes, keep) => x.Min(axes, keep), true), ("mean", (x, axes, keep) => x.Mean(axes, keep), false),
    ];

    [Fact]
    public void Sum_max_min_and_mean_over_random_axes_match_the_cpu() =>
        (from op in Gen.Int[0, OnWholeNumbers.Length - 1]
         from dtype in Gen.OneOfConst(DType.Float32, DType.Float64, DType.Int32, DType.Int64)
         from shape in Draw.Shape()
         from axes in Draw.Axes(shape.Length)
         from keep in Gen.Bool
         from x in Draw.Whole(shape, dtype)
         where !(op == 3 && !dtype.IsFloat())
         select (Op: op, X: x, Axes: axes, Keep: keep))
        .ForAll(c => _agree.Check(OnWholeNumbers[c.Op].Name, t => OnWholeNumbers[c.Op].Op(t[0], c.Axes, c.Keep), [c.X],
                OnWholeNumbers[c.Op].Exact ? 0 : DeviceAgreement.Elementwise(c.X.DType), gradients: true),
            c => $"{OnWholeNumbers[c.Op].Name} over [{(c.Axes == null ? "all" : string.Join(",", c.Axes))}] keepDims={c.Keep} of {c.X}", 300);

    private static readonly (string Name, Func<Tensor, int[]?, bool, Tensor> Op)[] OnReals =
    [
        ("sum", (x, axes, keep) => x.Sum(axes, keep)), ("mean", (x, axes, keep) => x.Mean(axes, keep)),
        ("variance", (x, axes, keep) => x.Variance(axes, keep)), ("std", (x, axes, keep) => x.Std(axes, keep)),
        ("log-sum-exp", (x, axes, keep) => x.LogSumExp(axes, keep)),
    ];

    [Fact]
    public void Variance_std_and_log_sum_exp_over_random_axes_match_the_cpu() =>
        (from op in Gen.Int[0, OnReals.Length - 1]
         from dtype in Draw.Float
         from shape in Draw.Shape()
         from axes in Draw.Axes(shape.Length)
         from keep in Gen.Bool
         from x in Draw.Real(shape, dtype, 0.5, 4)
         // Float32 sums of reals round differently in another order; float64 keeps them far below the tolerance.
         where op > 1 || dtype == DType.Float64
         select (Op: op, X: x, Axes: axes, Keep: keep))
        .ForAll(c => _agree.Check(OnReals[c.Op].Name, t => OnReals[c.Op].Op(t[0], c.Axes, c.Keep), [c.X], DeviceAgreement.Accumulated(c.X.DType), gradients: true),
            c => $"{OnReals[c.Op].Name} over [{(c.Axes == null ? "all" : string.Join(",", c.Axes))}] keepDims={c.Keep} of {c.X}", 300);

    [Fact]
    public void Arg_max_and_arg_min_pick_the_cpu_index_even_on_ties() =>
        (from max in Gen.Bool
         from dtype in Gen.OneOfConst(DType.Float32, DType.Float64, DType.Int32, DType.Int64)
         from shape in Draw.Shape(minRank: 1)
         from axis in Draw.Axis(shape.Length)
         from x in Draw.Whole(shape, dtype, -2, 2)
         select (Max: max, X: x, Axis: axis))
        .ForAll(c => _agree.Check(c.Max ? "argmax" : "argmin", t => c.Max ? t[0].ArgMax(c.Axis) : t[0].ArgMin(c.Axis), [c.X], 0),
            c => $"{(c.Max ? "argmax" : "argmin")} along {c.Axis} of {c.X}");

    [Fact]
    public void Softmax_and_log_softmax_along_a_random_axis_match_the_cpu() =>
        (from log in Gen.Bool
         from dtype in Draw.Float
         from shape in Draw.Shape(minRank: 1)
         from axis in Draw.Axis(shape.Length)
         from x in Draw.Real(shape, dtype, -10, 10)
         select (Log: log, X: x, Axis: axis))
        .ForAll(c => _agree.Check(c.Log ? "log softmax" : "softmax", t => c.Log ? t[0].LogSoftmax(c.Axis) : t[0].Softmax(c.Axis), [c.X],
                DeviceAgreement.Accumulated(c.X.DType), gradients: true),
            c => $"{(c.Log ? "log softmax" : "softmax")} along {c.Axis} of {c.X}");

    [Fact]
    public void Batched_matmul_with_broadcast_batches_and_transposes_matches_the_cpu_exactly() =>
        (from dtype in Draw.Float
         from batch in Draw.Shape(maxRank: 2, maxDim: 3)
         from batchA in Draw.BroadcastableTo(batch)
         from batchB in Draw.BroadcastableTo(batch)
         from mkn in Gen.Int[1, 5].Array[3]
         from transposeA in Gen.Bool
         from transposeB in Gen.Bool
         from a in Draw.Whole([.. batchA, .. transposeA ? new[] { mkn[1], mkn[0] } : [mkn[0], mkn[1]]], dtype)
         from b in Draw.Whole([.. batchB, .. transposeB ? new[] { mkn[2], mkn[1] } : [mkn[1], mkn[2]]], dtype)
         select (A: a, B: b, TransposeA: transposeA, TransposeB: transposeB))
        .ForAll(c => _agree.Check("matmul", t => Tensor.MatMul(t[0], t[1], c.TransposeA, c.TransposeB), [c.A, c.B], 0, gradients: true),
            c => $"matmul {c.A}{(c.TransposeA ? "ᵀ" : "")} @ {c.B}{(c.TransposeB ? "ᵀ" : "")}");

    [Fact]
    public void Fused_dense_with_each_activation_matches_the_cpu() =>
        (from dtype in Draw.Float
         from sizes in Gen.Int[1, 6].Array[3]
         from activation in Gen.OneOfConst(Enum.GetValues<FusedActivation>())
         from withBias in Gen.Bool
         from x in Draw.Real([sizes[0], sizes[1]], dtype, -2, 2)
         from w in Draw.Real([sizes[1], sizes[2]], dtype, -2, 2)
         from b in Draw.Real([sizes[2]], dtype, -2, 2)
         select (X: x, W: w, B: b, Activation: activation, WithBias: withBias))
        .ForAll(c => _agree.Check($"dense {c.Activation}", t => Tensor.Dense(t[0], t[1], c.WithBias ? t[2] : null, c.Activation), [c.X, c.W, c.B],
                DeviceAgreement.Accumulated(c.X.DType), gradients: true),
            c => $"dense {c.Activation} {(c.WithBias ? "with" : "without")} bias of {c.X}, {c.W}, {c.B}");

    [Fact]
    public void Sparse_softmax_cross_entropy_matches_the_cpu() =>
        (from dtype in Draw.Float
         from labelType in Gen.OneOfConst(DType.Int32, DType.Int64)
         from rows in Gen.Int[1, 6]
         from classes in Gen.Int[1, 6]
         from logits in Draw.Real([rows, classes], dtype, -6, 6)
         from labels in Draw.Whole([rows], labelType, 0, classes - 1)
         select (Logits: logits, Labels: labels))
        .ForAll(c => _agree.Check("sparse softmax cross-entropy", t => Tensor.SparseSoftmaxCrossEntropy(t[0], t[1]), [c.Logits, c.Labels],
                DeviceAgreement.Accumulated(c.Logits.DType), gradients: true),
            c => $"cross-entropy of {c.Logits} against {c.Labels}");
}
