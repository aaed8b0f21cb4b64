using CsCheck;

namespace Descent.Tests.Agreement;

/// <summary>Property: gather, scatter-add, one-hot, concat, stack, unstack, pad, slicing, views and creators give, on any device, a result on that device with the CPU's values.</summary>
[OnEveryDevice]
public class MovementAgreementTests
{
    private readonly DeviceAgreement _agree = new(Device.Default);

    private static readonly Gen<DType> AnyDType = Gen.OneOfConst(DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.Bool);

    private static Gen<HostTensor> Values(int[] shape, DType dtype) =>
        dtype == DType.Bool ? Draw.Whole(shape, dtype, 0, 1) : dtype.IsFloat() ? Draw.Real(shape, dtype) : Draw.Whole(shape, dtype);

    private static string Shape(IEnumerable<int> dims) => $"[{string.Join(",", dims)}]";

    [Fact]
    public void Gather_along_a_random_axis_with_int32_or_int64_indices_matches_the_cpu() =>
        (from dtype in AnyDType
         from shape in Draw.Shape(minRank: 1)
         from axis in Draw.Axis(shape.Length)
         from indexType in Gen.OneOfConst(DType.Int32, DType.Int64)
         from indexShape in Draw.Shape(maxRank: 2)
         from x in Values(shape, dtype)
         from indices in Draw.Whole(indexShape, indexType, 0, shape[(axis + shape.Length) % shape.Length] - 1)
         select (X: x, Indices: indices, Axis: axis))
        .ForAll(c => _agree.Check("gather", t => t[0].Gather(t[1], c.Axis), [c.X, c.Indices], 0, gradients: true),
            c => $"gather {c.X} at {c.Indices} along {c.Axis}");

    [Fact]
    public void Scatter_add_of_repeated_indices_matches_the_cpu() =>
        (from dtype in Draw.Float
         from shape in Draw.Shape(minRank: 1)
         from axis in Gen.Int[0, shape.Length - 1]
         from indexShape in Draw.Shape(maxRank: 2)
         from indices in Draw.Whole(indexShape, DType.Int32, 0, shape[axis] - 1)
         from updates in Draw.Whole([.. shape[..axis], .. indexShape, .. shape[(axis + 1)..]], dtype)
         select (Updates: updates, Indices: indices, Axis: axis, Shape: shape))
        .ForAll(c => _agree.Check("scatter-add", t => Tensor.ScatterAdd(t[0], t[1], c.Axis, c.Shape), [c.Updates, c.Indices], 0, gradients: true),
            c => $"scatter-add {c.Updates} at {c.Indices} along {c.Axis} into {Shape(c.Shape)}");

    [Fact]
    public void One_hot_with_out_of_range_indices_matches_the_cpu() =>
        (from dtype in Draw.Float
         from indexType in Gen.OneOfConst(DType.Int32, DType.Int64)
         from shape in Draw.Shape(maxRank: 2)
         from depth in Gen.Int[1, 5]
         from indices in Draw.Whole(shape, indexType, -1, depth)
         from onValue in Gen.Int[-2, 3]
         select (Indices: indices, Depth: depth, On: (double)onValue, DType: dtype))
        .ForAll(c => _agree.Check("one-hot", t => Tensor.OneHot(t[0], c.Depth, c.On, 0.5, c.DType), [c.Indices], 0),
            c => $"one-hot of {c.Indices}, depth {c.Depth}, on {c.On}, {c.DType}");

    [Fact]
    public void Concat_and_stack_of_one_to_three_tensors_match_the_cpu() =>
        (from dtype in AnyDType
         from stack in Gen.Bool
         from shape in Draw.Shape(minRank: 1)
         from axis in Gen.Int[0, shape.Length - 1]
         from lengths in Gen.Int[1, 3].Array[1, 3]
         from whole in Values([.. shape[..axis], stack ? lengths.Length : lengths.Sum(), .. shape[(axis + 1)..]], dtype)
         select (Parts: Split(whole, axis, stack ? [.. lengths.Select(_ => 1)] : lengths, squeeze: stack), Axis: axis, Stack: stack))
        .ForAll(c => _agree.Check(c.Stack ? "stack" : "concat", t => c.Stack ? Tensor.Stack(t, c.Axis) : Tensor.Concat(t, c.Axis - t[0].Rank), c.Parts, 0, gradients: true),
            c => $"{(c.Stack ? "stack" : "concat")} along {c.Axis} of {string.Join(", ", c.Parts.Select(p => p.ToString()))}");

    [Fact]
    public void Unstack_and_restack_in_reverse_matches_the_cpu() =>
        (from dtype in AnyDType
         from shape in Draw.Shape(minRank: 1)
         from axis in Draw.Axis(shape.Length)
         from x in Values(shape, dtype)
         select (X: x, Axis: axis))
        .ForAll(c => _agree.Check("unstack", t => Tensor.Stack(t[0].Unstack(c.Axis).Reverse().ToArray(), c.Axis), [c.X], 0, gradients: true),
            c => $"unstack {c.X} along {c.Axis}, restacked in reverse");

    /// <summary>Cuts <paramref name="whole"/> along <paramref name="axis"/> into pieces of <paramref name="lengths"/>, on the host.</summary>
    private static HostTensor[] Split(HostTensor whole, int axis, int[] lengths, bool squeeze)
    {
        int outer = whole.Shape[..axis].Aggregate(1, (a, b) => a * b), inner = whole.Shape[(axis + 1)..].Aggregate(1, (a, b) => a * b);
        int total = whole.Shape[axis], start = 0;
        var parts = new HostTensor[lengths.Length];
        for (int p = 0; p < lengths.Length; start += lengths[p], p++)
        {
            var values = new List<double>();
            for (int o = 0; o < outer; o++)
                values.AddRange(whole.Values.Skip((o * total + start) * inner).Take(lengths[p] * inner));
            int[] shape = squeeze ? [.. whole.Shape[..axis], .. whole.Shape[(axis + 1)..]] : [.. whole.Shape[..axis], lengths[p], .. whole.Shape[(axis + 1)..]];
            parts[p] = new HostTensor([.. values], shape, whole.DType);
        }
        return parts;
    }

    [Fact]
    public void Pad_with_a_value_matches_the_cpu() =>
        (from dtype in AnyDType
         from shape in Draw.Shape()
         from before in Gen.Int[0, 2].Array[shape.Length]
         from after in Gen.Int[0, 2].Array[shape.Length]
         from value in Gen.Int[-3, 3]
         from x in Values(shape, dtype)
         select (X: x, Paddings: before.Zip(after).ToArray(), Value: dtype == DType.Bool ? Math.Abs(value) % 2 : value))
        .ForAll(c => _agree.Check("pad", t => t[0].Pad(c.Paddings, c.Value), [c.X], 0, gradients: true),
            c => $"pad {c.X} by {string.Join(" ", c.Paddings)} with {c.Value}");

    [Fact]
    public void Strided_slices_with_negative_bounds_match_the_cpu() =>
        (from dtype in AnyDType
         from shape in Draw.Shape(minRank: 1)
         from bounds in Gen.Int[-5, 5].Array[2 * shape.Length]
         from steps in Gen.Int[1, 3].Array[shape.Length]
         from x in Values(shape, dtype)
         select (X: x, Index: Enumerable.Range(0, shape.Length).Select(i => (bounds[2 * i], bounds[2 * i + 1], steps[i])).ToArray()))
        .ForAll(c => _agree.Check("slice", t => t[0][c.Index.Select(s => TensorIndex.Slice(s.Item1, s.Item2, s.Item3)).ToArray()], [c.X], 0, gradients: true),
            c => $"{c.X}[{string.Join(", ", c.Index.Select(s => $"{s.Item1}:{s.Item2}:{s.Item3}"))}]");

    private static readonly (string Name, Func<Tensor, Tensor> Op)[] Views =
    [
        ("transpose", x => x.Transpose()), ("transpose then contiguous", x => x.Transpose().Contiguous()),
        ("flatten", x => x.Flatten()), ("reshape to one axis", x => x.Reshape(-1)),
        ("unsqueeze then squeeze", x => x.Unsqueeze(0).Squeeze(0)), ("tile", x => x.Tile([.. Enumerable.Range(0, x.Rank).Select(i => i % 2 + 1)])),
        ("broadcast to a new leading axis", x => x.BroadcastTo([2, .. x.Shape])), ("swap last axes", x => x.Rank >= 2 ? x.SwapLastAxes() : x),
        ("first along the last axis", x => x.Rank >= 1 ? x[TensorIndex.Ellipsis, 0] : x), ("slice begin size", x => x.Slice(new int[x.Rank], [.. x.Shape.Select(d => (d + 1) / 2)])),
    ];

    [Fact]
    public void Views_and_copies_of_views_match_the_cpu() =>
        (from op in Gen.Int[0, Views.Length - 1]
         from dtype in AnyDType
         from shape in Draw.Shape()
         from x in Values(shape, dtype)
         select (Op: op, X: x))
        .ForAll(c => _agree.Check(Views[c.Op].Name, t => Views[c.Op].Op(t[0]), [c.X], 0, gradients: true),
            c => $"{Views[c.Op].Name} of {c.X}");

    private static readonly (string Name, Func<int[], DType, long, Device, Tensor> Make)[] Creators =
    [
        ("full", (s, d, _, device) => Tensor.Full(s, 2.5, d, device)), ("zeros", (s, d, _, device) => Tensor.Zeros(s, d, device)), ("ones", (s, d, _, device) => Tensor.Ones(s, d, device)),
        ("arange", (s, d, _, device) => Tensor.Arange(-1, s.Sum() + 0.5, 0.5, d, device)), ("linspace", (s, d, _, device) => Tensor.Linspace(-2, 3, s.Sum() + 1, d, device)),
        ("eye", (s, d, _, device) => Tensor.Eye(s.Sum() + 1, s.Length + 1, d, device)), ("scalar", (_, d, _, device) => Tensor.Scalar(-1.5, d, device)),
        ("random normal", (s, d, seed, device) => Tensor.RandomNormal(s, new Generator(seed), 1, 2, d, device)),
        ("random uniform", (s, d, seed, device) => Tensor.RandomUniform(s, new Generator(seed), -3, 5, d, device)),
        ("truncated normal", (s, d, seed, device) => Tensor.TruncatedNormal(s, new Generator(seed), 0, 1, d, device)),
        ("zeros like", (s, d, _, device) => Tensor.ZerosLike(Tensor.Ones(s, d, device))), ("ones like", (s, d, _, device) => Tensor.OnesLike(Tensor.Zeros(s, d, device))),
    ];

    [Fact]
    public void Creators_given_a_device_match_the_cpu_and_never_use_the_default() =>
        (from op in Gen.Int[0, Creators.Length - 1]
         from dtype in Draw.Float
         from shape in Draw.Shape()
         from seed in Gen.Long[0, 1000]
         select (Op: op, DType: dtype, Shape: shape, Seed: seed))
        // Exact: a backend's Philox stream and its arange/linspace arithmetic must give the CPU's numbers bit for bit.
        .ForAll(c => _agree.Check(Creators[c.Op].Name, t => Creators[c.Op].Make(c.Shape, c.DType, c.Seed, t[0].Device), [new HostTensor([0], [1], DType.Float32)], 0),
            c => $"{Creators[c.Op].Name} {Shape(c.Shape)} {c.DType} seed {c.Seed}");
}
