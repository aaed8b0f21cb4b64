namespace Descent.Tests;

/// <summary>The sequence ops (einsum, attention, masked softmax, band parts, running sums, top-k) against central finite differences in float64.</summary>
[OnEveryDevice]
public class SequenceOpGradientChecks
{
    private static Tensor R(long seed, params int[] shape) => Tensor.RandomUniform(shape, new Generator(seed), -1, 1, DType.Float64);

    private static Tensor Mask(long seed, params int[] shape) => Tensor.Greater(R(seed, shape), Tensor.Scalar(-0.4));

    public static readonly Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> FirstOrder = new()
    {
        ["einsum batched product"] = (x => Tensor.Einsum("bij,bkj->bik", x[0], x[1]), () => [R(1, 2, 3, 4), R(2, 2, 5, 4)]),
        ["einsum keras attention scores"] = (x => Tensor.Einsum("aecd,abcd->acbe", x[0], x[1]), () => [R(1, 2, 4, 2, 3), R(2, 2, 3, 2, 3)]),
        ["einsum ellipsis broadcast and sum"] = (x => Tensor.Einsum("...ij,...jk->...k", x[0], x[1]), () => [R(1, 2, 1, 3, 4), R(2, 3, 4, 2)]),
        ["einsum three operands"] = (x => Tensor.Einsum("ij,jk,kl->li", x[0], x[1], x[2]), () => [R(1, 2, 3), R(2, 3, 4), R(3, 4, 2)]),
        ["einsum of a transposed view"] = (x => Tensor.Einsum("ij,jk->ik", x[0].Transpose(), x[1]), () => [R(1, 4, 3), R(2, 4, 2)]),
        ["attention"] = (x => Tensor.ScaledDotProductAttention(x[0], x[1], x[2]), () => [R(1, 2, 3, 4), R(2, 2, 5, 4), R(3, 2, 5, 3)]),
        ["attention causal with mask and scale"] = (x => Tensor.ScaledDotProductAttention(x[0], x[1], x[2], Mask(7, 2, 1, 4, 4), causal: true, scale: 0.7),
            () => [R(1, 2, 2, 4, 3), R(2, 2, 2, 4, 3), R(3, 2, 2, 4, 2)]),
        ["attention weights"] = (x => Tensor.ScaledDotProductAttentionWithWeights(x[0], x[1], x[2], causal: true).Weights, () => [R(1, 3, 4), R(2, 3, 4), R(3, 3, 2)]),
        ["attention of transposed views (heads split from [b, t, h, d])"] = (x => Tensor.ScaledDotProductAttention(
            x[0].Transpose(0, 2, 1, 3), x[1].Transpose(0, 2, 1, 3), x[2].Transpose(0, 2, 1, 3), causal: true),
            () => [R(1, 1, 4, 2, 3), R(2, 1, 4, 2, 3), R(3, 1, 4, 2, 3)]),
        ["masked softmax"] = (x => x[0].MaskedSoftmax(Mask(5, 3, 4)), () => [R(1, 3, 4)]),
        ["masked softmax over axis 0"] = (x => x[0].MaskedSoftmax(Mask(5, 3, 1), axis: 0), () => [R(1, 3, 4)]),
        ["band part"] = (x => x[0].BandPart(1, 0), () => [R(1, 2, 4, 3)]),
        ["tril and triu"] = (x => x[0].Tril(1) * 2.0 + x[0].Triu(), () => [R(1, 3, 5)]),
        ["cumsum"] = (x => x[0].Cumsum(1), () => [R(1, 2, 5)]),
        ["cumsum exclusive reverse"] = (x => x[0].Cumsum(0, exclusive: true, reverse: true), () => [R(1, 6, 2)]),
        ["top-k values"] = (x => x[0].TopK(2).Values, () => [R(1, 3, 5)]),
    };

    public static IEnumerable<object[]> FirstOrderCases => FirstOrder.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(FirstOrderCases))]
    public void First_order_gradient_matches_finite_differences(string name)
    {
        var (f, inputs) = FirstOrder[name];
        var result = GradientCheck.Run(f, inputs());
        Assert.True(result.Passed, $"{name}: {result}");
    }

    /// <summary>f(x) = d/dx Σ w·op(x), taken with an inner tape; checking its gradient checks op's second derivative.</summary>
    private static Func<Tensor[], Tensor> Derivative(Func<Tensor, Tensor> op) => x =>
    {
        using var tape = new GradientTape();
        tape.Watch(x[0]);
        var output = op(x[0]);
        var y = (output * R(11, output.Shape.ToArray())).Sum();
        return tape.Gradient(y, x[0])!;
    };

    public static readonly Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> SecondOrder = new()
    {
        // The query, key and value all depend on x, so the second derivative passes through every part of the backward.
        ["attention"] = (Derivative(x => Tensor.ScaledDotProductAttention(x, x * 0.5, x.Tanh(), causal: true)), () => [R(1, 2, 3, 2)]),
        ["attention weights"] = (Derivative(x => Tensor.ScaledDotProductAttentionWithWeights(x, x.Square(), x, Mask(3, 3, 3)).Weights), () => [R(1, 3, 2)]),
        ["masked softmax"] = (Derivative(x => x.MaskedSoftmax(Mask(5, 2, 4))), () => [R(1, 2, 4)]),
        ["cumsum"] = (Derivative(x => x.Cumsum(1).Square()), () => [R(1, 2, 4)]),
    };

    public static IEnumerable<object[]> SecondOrderCases => SecondOrder.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(SecondOrderCases))]
    public void Second_order_gradient_matches_finite_differences(string name)
    {
        var (f, inputs) = SecondOrder[name];
        var result = GradientCheck.Run(f, inputs(), tolerance: 1e-5);
        Assert.True(result.Passed, $"{name}: {result}");
    }
}
