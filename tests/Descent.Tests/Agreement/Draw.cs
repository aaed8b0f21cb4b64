using CsCheck;

namespace Descent.Tests.Agreement;

/// <summary>Generators of shapes, axes and host tensors for the device agreement properties.</summary>
internal static class Draw
{
    public static readonly Gen<DType> Float = Gen.OneOfConst(DType.Float32, DType.Float64);

    /// <summary>Rank 0 to <paramref name="maxRank"/>, each axis 1 to <paramref name="maxDim"/> long.</summary>
    public static Gen<int[]> Shape(int minRank = 0, int maxRank = 4, int maxDim = 4) => Gen.Int[1, maxDim].Array[minRank, maxRank];

    /// <summary>Uniform values in [<paramref name="lo"/>, <paramref name="hi"/>].</summary>
    public static Gen<HostTensor> Real(int[] shape, DType dtype, double lo = -4, double hi = 4) =>
        Gen.Double[lo, hi].Array[Size(shape)].Select(v => new HostTensor(v, shape, dtype));

    /// <summary>
    /// Whole numbers in [<paramref name="lo"/>, <paramref name="hi"/>]: sums and products of a few of them are exact in
    /// float32, so reductions and matmul must agree to the bit whatever the order of accumulation; ties are common.
    /// </summary>
    public static Gen<HostTensor> Whole(int[] shape, DType dtype, int lo = -8, int hi = 8) =>
        Gen.Int[lo, hi].Array[Size(shape)].Select(v => new HostTensor(v.Select(i => (double)i).ToArray(), shape, dtype));

    /// <summary>A shape that broadcasts to <paramref name="full"/>: some leading axes dropped, some axes set to 1.</summary>
    public static Gen<int[]> BroadcastableTo(int[] full) =>
        Gen.Select(Gen.Int[0, full.Length], Gen.Bool.Array[full.Length],
            (drop, ones) => full.Skip(drop).Select((d, i) => ones[i + drop] ? 1 : d).ToArray());

    /// <summary>A set of distinct axes of a rank-<paramref name="rank"/> tensor, some written from the end; null (all axes) a quarter of the time.</summary>
    public static Gen<int[]?> Axes(int rank) =>
        Gen.Select(Gen.Int[0, 3], Gen.Bool.Array[rank], Gen.Bool.Array[rank], (all, pick, fromEnd) => all == 0
            ? null
            : (int[]?)Enumerable.Range(0, rank).Where(i => pick[i]).Select(i => fromEnd[i] ? i - rank : i).ToArray());

    /// <summary>One axis of a rank-<paramref name="rank"/> tensor (rank ≥ 1), written from the front or the end.</summary>
    public static Gen<int> Axis(int rank) => Gen.Select(Gen.Int[0, rank - 1], Gen.Bool, (a, fromEnd) => fromEnd ? a - rank : a);

    public static int Size(int[] shape) => shape.Aggregate(1, (a, b) => a * b);
}
