using Descent.Backends;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Tests;

/// <summary>Every kernel the backend can generate, for every primitive and dtype it accepts and collapsed ranks 1 to 4, by family.</summary>
internal static class KernelCatalog
{
    public static readonly DType[] AllTypes = [DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.Bool];
    public static readonly DType[] Floats = [DType.Float32, DType.Float64];
    public static readonly DType[] Integers = [DType.Int32, DType.Int64];
    public static readonly DType[] Numbers = [DType.Float32, DType.Float64, DType.Int32, DType.Int64];
    public static readonly int[] Ranks = [1, 2, 3, 4];

    public static IEnumerable<(string Family, IReadOnlyList<KernelSpec> Kernels)> Families()
    {
        yield return ("elementwise", [.. Elementwise()]);
        yield return ("reduce", [.. Reductions()]);
        yield return ("index", [.. Indexing()]);
        yield return ("fused", [.. Fused()]);
        yield return ("conv", [.. Convolution()]);
        yield return ("random", [.. Random()]);
    }

    public static IEnumerable<KernelSpec> All() => Families().SelectMany(f => f.Kernels);

    public static IEnumerable<KernelSpec> Elementwise()
    {
        foreach (int r in Ranks)
        {
            foreach (var t in AllTypes)
            {
                yield return ElementwiseKernels.Copy(t, r);
                yield return ElementwiseKernels.Fill(t, r);
                yield return ElementwiseKernels.Where(t, r);
                foreach (var to in AllTypes.Where(to => to != t)) yield return ElementwiseKernels.Cast(t, to, r);
            }
            foreach (var t in Floats)
            {
                foreach (var op in Enum.GetValues<UnaryOp>()) yield return ElementwiseKernels.Unary(op, t, r);
                foreach (var op in Enum.GetValues<BinaryOp>()) yield return ElementwiseKernels.Binary(op, t, r);
                yield return ElementwiseKernels.ScaledAdd(t, r);
                foreach (var activation in Enum.GetValues<FusedActivation>())
                {
                    yield return ElementwiseKernels.BiasActivation(t, activation, bias: true, r);
                    yield return ElementwiseKernels.BiasActivation(t, activation, bias: false, r);
                }
            }
            foreach (var t in Integers)
            {
                foreach (var op in Enum.GetValues<UnaryOp>().Where(ElementwiseKernels.IntegerUnary)) yield return ElementwiseKernels.Unary(op, t, r);
                foreach (var op in Enum.GetValues<BinaryOp>().Where(o => o != BinaryOp.Pow)) yield return ElementwiseKernels.Binary(op, t, r);
            }
            foreach (var t in Numbers)
                foreach (var op in Enum.GetValues<CompareOp>()) yield return ElementwiseKernels.Compare(op, t, r);
            yield return ElementwiseKernels.Compare(CompareOp.Equal, DType.Bool, r);
            yield return ElementwiseKernels.Compare(CompareOp.NotEqual, DType.Bool, r);
        }
    }

    public static IEnumerable<KernelSpec> Reductions()
    {
        foreach (var op in Enum.GetValues<ReduceOp>())
            foreach (var t in Numbers)
            {
                foreach (int kept in Ranks)
                    foreach (int reduced in Ranks)
                    {
                        yield return ReduceKernels.Blocks(op, t, kept, reduced, partial: false);
                        yield return ReduceKernels.Threads(op, t, kept, reduced);
                    }
                foreach (int kept in Ranks) yield return ReduceKernels.Blocks(op, t, kept, 1, partial: true);
                yield return ReduceKernels.Blocks(op, t, 1, 1, partial: false, fromPartials: true);
                if (op != ReduceOp.Sum)
                    foreach (int kept in Ranks) yield return ReduceKernels.Arg(op, t, kept);
            }
    }

    public static IEnumerable<KernelSpec> Indexing()
    {
        foreach (var index in Integers)
        {
            foreach (var t in AllTypes)
                foreach (int outer in Ranks.Take(3))
                    foreach (int inner in Ranks.Take(3))
                        foreach (int picks in Ranks.Take(2))
                            yield return IndexKernels.Gather(t, index, outer, inner, picks);
            foreach (int picks in Ranks) yield return IndexKernels.SortKeys(index, picks);
        }
        yield return IndexKernels.BitonicStep();
        yield return IndexKernels.BitonicBlock();
        yield return IndexKernels.SegmentBounds();
        foreach (var t in Floats)
            foreach (int outer in Ranks.Take(3))
                foreach (int inner in Ranks.Take(3))
                    yield return IndexKernels.ScatterAdd(t, outer, inner);
    }

    public static IEnumerable<KernelSpec> Fused()
    {
        foreach (var t in Floats)
        {
            foreach (var label in Integers)
            {
                yield return FusedKernels.SoftmaxCrossEntropy(t, label, warpPerRow: true);
                yield return FusedKernels.SoftmaxCrossEntropy(t, label, warpPerRow: false);
            }
            foreach (int r in Ranks) yield return AdamKernels.Step(t, r);
        }
    }

    public static IEnumerable<KernelSpec> Convolution()
    {
        foreach (var t in Floats)
        {
            foreach (var product in Enum.GetValues<ConvProduct>())
            {
                yield return ConvKernels.Gemm(product, t, split: false);
                yield return ConvKernels.Gemm(product, t, split: true);
            }
            yield return ConvKernels.SumParts(t);
            yield return ConvKernels.MaxPool(t);
        }
    }

    public static IEnumerable<KernelSpec> Random()
    {
        foreach (var distribution in Enum.GetValues<RandomDistribution>())
            foreach (var t in Floats)
                yield return RandomKernels.Sample(distribution, t);
    }
}
