namespace Descent.Tests;

/// <summary>Every differentiable op against central finite differences in float64.</summary>
[OnEveryDevice]
public class GradientChecks
{
    private static Tensor U(long seed, double lo, double hi, params int[] shape) =>
        Tensor.RandomUniform(shape, new Generator(seed), lo, hi, DType.Float64);

    private static Tensor R(long seed, params int[] shape) => U(seed, -1, 1, shape);

    // Values kept away from kinks (0 for abs/relu) and ties (max/min), where the derivative is not defined.
    private static Tensor AwayFromZero(long seed, params int[] shape) =>
        R(seed, shape) + Tensor.Where(Tensor.Greater(R(seed, shape), Tensor.Scalar(0.0)), Tensor.Scalar(0.2), Tensor.Scalar(-0.2));

    public static readonly Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> FirstOrder = new()
    {
        ["add broadcast [3,1]+[4]"] = (x => x[0] + x[1], () => [R(1, 3, 1), R(2, 4)]),
        ["subtract broadcast [2,3]-[3]"] = (x => x[0] - x[1], () => [R(1, 2, 3), R(2, 3)]),
        ["multiply broadcast [2,1,3]*[4,1]"] = (x => x[0] * x[1], () => [R(1, 2, 1, 3), R(2, 4, 1)]),
        ["divide broadcast"] = (x => x[0] / x[1], () => [R(1, 2, 3), U(2, 0.5, 2, 3)]),
        ["scalar on both sides"] = (x => 2.0 - x[0] * 3.0 + 1.0 / (x[0] + 4.0), () => [R(1, 5)]),
        ["negate"] = (x => -x[0], () => [R(1, 4)]),
        ["pow tensor exponent"] = (x => Tensor.Pow(x[0], x[1]), () => [U(1, 0.5, 2, 2, 3), R(2, 3)]),
        ["pow scalar exponent"] = (x => x[0].Pow(3), () => [R(1, 4)]),
        ["square"] = (x => x[0].Square(), () => [R(1, 2, 3)]),
        ["sqrt"] = (x => x[0].Sqrt(), () => [U(1, 0.5, 2, 5)]),
        ["rsqrt"] = (x => x[0].Rsqrt(), () => [U(1, 0.5, 2, 5)]),
        ["exp"] = (x => x[0].Exp(), () => [R(1, 2, 3)]),
        ["log"] = (x => x[0].Log(), () => [U(1, 0.5, 2, 5)]),
        ["log1p"] = (x => x[0].Log1p(), () => [U(1, -0.5, 2, 5)]),
        ["abs"] = (x => x[0].Abs(), () => [AwayFromZero(1, 6)]),
        ["sign has zero gradient"] = (x => x[0].Sign() * x[0], () => [AwayFromZero(1, 6)]),
        ["sin"] = (x => x[0].Sin(), () => [R(1, 5)]),
        ["cos"] = (x => x[0].Cos(), () => [R(1, 5)]),
        ["erf"] = (x => x[0].Erf(), () => [U(1, -3, 3, 7)]),
        ["maximum broadcast"] = (x => Tensor.Maximum(x[0], x[1]), () => [R(1, 3, 4), R(2, 4)]),
        ["minimum broadcast"] = (x => Tensor.Minimum(x[0], x[1]), () => [R(1, 3, 4), R(2, 4)]),
        ["clip"] = (x => x[0].Clip(-0.5, 0.5), () => [U(1, -2, 2, 8) + 0.013]),
        ["sigmoid"] = (x => x[0].Sigmoid(), () => [R(1, 2, 3) * 3.0]),
        ["tanh"] = (x => x[0].Tanh(), () => [R(1, 2, 3) * 2.0]),
        ["relu"] = (x => x[0].Relu(), () => [AwayFromZero(1, 8)]),
        ["leaky relu"] = (x => x[0].LeakyRelu(0.1), () => [AwayFromZero(1, 8)]),
        ["elu"] = (x => x[0].Elu(), () => [AwayFromZero(1, 8)]),
        ["gelu exact"] = (x => x[0].Gelu(), () => [R(1, 8) * 3.0]),
        ["gelu tanh approximation"] = (x => x[0].Gelu(approximate: true), () => [R(1, 8) * 3.0]),
        ["softplus"] = (x => x[0].Softplus(), () => [R(1, 8) * 5.0]),
        ["softmax last axis"] = (x => x[0].Softmax(), () => [R(1, 3, 4)]),
        ["softmax axis 0"] = (x => x[0].Softmax(0), () => [R(1, 3, 4)]),
        ["log softmax"] = (x => x[0].LogSoftmax(), () => [R(1, 3, 4)]),
        ["logsumexp axes keepdims"] = (x => x[0].LogSumExp([0, 2], keepDims: true), () => [R(1, 2, 3, 4)]),
        ["logsumexp all"] = (x => x[0].LogSumExp(), () => [R(1, 2, 3)]),
        ["matmul 2-D"] = (x => Tensor.MatMul(x[0], x[1]), () => [R(1, 3, 4), R(2, 4, 5)]),
        ["matmul batched broadcast [2,3,4]@[4,5]"] = (x => Tensor.MatMul(x[0], x[1]), () => [R(1, 2, 3, 4), R(2, 4, 5)]),
        ["matmul batched broadcast [2,1,3,4]@[3,4,2]"] = (x => Tensor.MatMul(x[0], x[1]), () => [R(1, 2, 1, 3, 4), R(2, 3, 4, 2)]),
        ["matmul transposeA transposeB"] = (x => Tensor.MatMul(x[0], x[1], transposeA: true, transposeB: true), () => [R(1, 4, 3), R(2, 5, 4)]),
        ["matmul vector @ matrix"] = (x => Tensor.MatMul(x[0], x[1]), () => [R(1, 4), R(2, 4, 3)]),
        ["matmul matrix @ vector"] = (x => Tensor.MatMul(x[0], x[1]), () => [R(1, 3, 4), R(2, 4)]),
        ["sum all"] = (x => x[0].Sum(), () => [R(1, 2, 3)]),
        ["sum axes keepdims"] = (x => x[0].Sum([0, 2], keepDims: true), () => [R(1, 2, 3, 4)]),
        ["sum negative axis"] = (x => x[0].Sum(-1), () => [R(1, 2, 3)]),
        ["mean axis"] = (x => x[0].Mean(1), () => [R(1, 2, 3, 4)]),
        ["max axis"] = (x => x[0].Max(1), () => [R(1, 3, 5)]),
        ["max all keepdims"] = (x => x[0].Max(keepDims: true), () => [R(1, 3, 5)]),
        ["min axes"] = (x => x[0].Min([0, 2]), () => [R(1, 2, 3, 4)]),
        ["variance axis"] = (x => x[0].Variance(0), () => [R(1, 4, 3)]),
        ["std keepdims"] = (x => x[0].Std(-1, keepDims: true), () => [R(1, 3, 4)]),
        ["variance ddof 1 over two axes"] = (x => x[0].Variance([0, 2], ddof: 1), () => [R(1, 2, 3, 4)]),
        ["std ddof 1 keepdims"] = (x => x[0].Std(0, keepDims: true, ddof: 1), () => [R(1, 4, 3)]),
        ["variance ddof of a transposed view"] = (x => x[0].Transpose().Variance(1, ddof: 2), () => [R(1, 5, 3)]),
        ["reductions over no axes"] = (x => x[0].Sum([]) * x[0].Max([], keepDims: true) + x[0].LogSumExp([]) - x[0].Mean([]).Square(), () => [R(1, 2, 3)]),
        ["reshape"] = (x => x[0].Reshape(3, -1) * R(9, 3, 2), () => [R(1, 2, 3)]),
        ["transpose"] = (x => x[0].Transpose(2, 0, 1) * R(9, 4, 2, 3), () => [R(1, 2, 3, 4)]),
        ["squeeze unsqueeze"] = (x => x[0].Squeeze().Unsqueeze(0) * R(9, 1, 3), () => [R(1, 3, 1)]),
        ["broadcast to"] = (x => x[0].BroadcastTo(2, 3, 4) * R(9, 2, 3, 4), () => [R(1, 3, 1)]),
        ["index and ranges"] = (x => x[0][1.., 0] * 2.0 + x[0][^1, 1..3].Sum(), () => [R(1, 3, 4)]),
        ["slice begin size"] = (x => x[0].Slice([0, 1], [2, -1]), () => [R(1, 3, 4)]),
        ["strided slice begin size strides"] = (x => x[0].Slice([1, 0], [2, -1], [2, 3]), () => [R(1, 5, 7)]),
        ["index with steps"] = (x => x[0][1..4, TensorIndex.Slice(2, 6, 2)] * R(9, 3, 2), () => [R(1, 5, 7)]),
        ["index with steps, ellipsis and new axis"] = (x => x[0][TensorIndex.NewAxis, TensorIndex.Slice(step: 2), TensorIndex.Ellipsis, -1] * 2.0, () => [R(1, 5, 3, 4)]),
        ["strided index of a transposed view, then matmul"] = (x => Tensor.MatMul(x[0].Transpose()[TensorIndex.Slice(.., 2)], x[1][TensorIndex.Ellipsis, TensorIndex.Slice(1.., 2)]), () => [R(1, 3, 5), R(2, 3, 7)]),
        ["overlapping strided slices add up"] = (x => x[0][TensorIndex.Slice(.., 2)].Sum() + x[0][TensorIndex.Slice(1.., 3)].Square().Sum(), () => [R(1, 9)]),
        ["concat"] = (x => Tensor.Concat([x[0], x[1]], axis: 1) * R(9, 2, 5), () => [R(1, 2, 3), R(2, 2, 2)]),
        ["stack"] = (x => Tensor.Stack([x[0], x[1]], axis: 1) * R(9, 2, 2, 3), () => [R(1, 2, 3), R(2, 2, 3)]),
        ["split"] = (x => x[0].Split([1, 3], axis: 1)[1] * 3.0 + x[0].Split(2, axis: 1)[0].Sum(), () => [R(1, 2, 4)]),
        ["unstack, every piece used"] = (x => x[0].Unstack(1)[0] * 2.0 + x[0].Unstack(1)[2].Square() - x[0].Unstack(1)[1] * x[0].Unstack(1)[1], () => [R(1, 2, 3, 4)]),
        ["unstack, some pieces unused"] = (x => x[0].Unstack(-1)[1].Exp() * R(9, 3, 2), () => [R(1, 3, 2, 4)]),
        ["unstack of a transposed view"] = (x => x[0].Transpose().Unstack(0)[2] * R(9, 2), () => [R(1, 2, 3)]),
        ["pad"] = (x => x[0].Pad([(1, 0), (2, 1)], value: 0.5) * R(9, 3, 6), () => [R(1, 2, 3)]),
        ["gather axis 1 with repeats"] = (x => x[0].Gather(Tensor.FromArray(new[] { 2, 0, 2 }), axis: 1) * R(9, 2, 3), () => [R(1, 2, 4)]),
        ["take 2-D indices"] = (x => x[0].Take(Tensor.FromArray(new long[] { 1, 0, 1, 1 }, 2, 2)) * R(9, 2, 2, 3), () => [R(1, 2, 3)]),
        ["where broadcast"] = (x => Tensor.Where(Tensor.Greater(R(7, 3, 1), Tensor.Scalar(0.0)), x[0], x[1]), () => [R(1, 3, 4), R(2, 4)]),
        ["tile"] = (x => x[0].Tile(2, 3) * R(9, 4, 6), () => [R(1, 2, 2)]),
        ["contiguous of a transposed view"] = (x => x[0].Transpose().Contiguous() * R(9, 3, 2), () => [R(1, 2, 3)]),
        // Non-contiguous inputs: a transposed and a sliced view feed the kernels directly.
        ["exp of a transposed view"] = (x => x[0].Transpose().Exp(), () => [R(1, 3, 4)]),
        ["matmul of transposed and sliced views"] = (x => Tensor.MatMul(x[0].Transpose(), x[1][.., 1..4]), () => [R(1, 4, 3), R(2, 4, 5)]),
        ["add of sliced and transposed views"] = (x => x[0][1.., ..] + x[1].Transpose(), () => [R(1, 3, 2), R(2, 2, 2)]),
        ["sum over axis of a strided view"] = (x => x[0].Transpose(1, 0, 2).Sum([0, 2]), () => [R(1, 2, 3, 4)]),
        ["softmax of a sliced view"] = (x => x[0][.., 1..].Softmax(), () => [R(1, 3, 5)]),
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
        var y = (output * R(11, output.Dims.ToArray())).Sum();
        return tape.Gradient(y, x[0])!;
    };

    public static readonly Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> SecondOrder = new()
    {
        ["square"] = (Derivative(x => x.Square()), () => [R(1, 5)]),
        ["cube via pow"] = (Derivative(x => x.Pow(3)), () => [R(1, 5)]),
        ["sqrt"] = (Derivative(x => x.Sqrt()), () => [U(1, 0.5, 2, 5)]),
        ["rsqrt"] = (Derivative(x => x.Rsqrt()), () => [U(1, 0.5, 2, 5)]),
        ["exp"] = (Derivative(x => x.Exp()), () => [R(1, 5)]),
        ["log"] = (Derivative(x => x.Log()), () => [U(1, 0.5, 2, 5)]),
        ["log1p"] = (Derivative(x => x.Log1p()), () => [U(1, -0.5, 2, 5)]),
        ["sin"] = (Derivative(x => x.Sin()), () => [R(1, 5)]),
        ["cos"] = (Derivative(x => x.Cos()), () => [R(1, 5)]),
        ["erf"] = (Derivative(x => x.Erf()), () => [R(1, 5)]),
        ["sigmoid"] = (Derivative(x => x.Sigmoid()), () => [R(1, 5) * 2.0]),
        ["tanh"] = (Derivative(x => x.Tanh()), () => [R(1, 5)]),
        ["softplus"] = (Derivative(x => x.Softplus()), () => [R(1, 5) * 3.0]),
        ["gelu"] = (Derivative(x => x.Gelu()), () => [R(1, 5) * 2.0]),
        ["elu"] = (Derivative(x => x.Elu()), () => [AwayFromZero(1, 6)]),
        ["multiply by itself"] = (Derivative(x => x * x * x), () => [R(1, 5)]),
        ["divide"] = (Derivative(x => 1.0 / (x + 3.0)), () => [R(1, 5)]),
        ["softmax"] = (Derivative(x => x.Softmax()), () => [R(1, 2, 4)]),
        ["log softmax"] = (Derivative(x => x.LogSoftmax()), () => [R(1, 2, 4)]),
        ["logsumexp"] = (Derivative(x => x.LogSumExp(-1, keepDims: true)), () => [R(1, 2, 4)]),
        ["matmul"] = (Derivative(x => Tensor.MatMul(x, x.Transpose()).Square()), () => [R(1, 3, 4)]),
        ["batched matmul"] = (Derivative(x => Tensor.MatMul(x, R(5, 4, 2)).Tanh()), () => [R(1, 2, 3, 4)]),
        ["strided slice"] = (Derivative(x => x[.., TensorIndex.Slice(1.., 2)].Pow(3)), () => [R(1, 3, 6)]),
        ["unstack"] = (Derivative(x => x.Unstack(1)[0] * x.Unstack(1)[2].Sin()), () => [R(1, 2, 3, 2)]),
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

    [Fact]
    public void Cast_between_float_dtypes_passes_the_gradient_through()
    {
        // Steps of 1/64 keep x ± h exact in float32, so the differences are not blurred by rounding.
        var result = GradientCheck.Run(x => x[0].Cast(DType.Float32).Square().Cast(DType.Float64),
            [Tensor.FromArray(new[] { 0.5, 0.25, -2.0 })], epsilon: 1.0 / 64);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void GradientCheck_reports_a_wrong_gradient()
    {
        // StopGradient hides half of x·x's derivative from the tape (analytic x), while finite differences
        // see the whole 2x: the check must notice and point at the worst element, the largest x.
        var result = GradientCheck.Run(x => x[0] * x[0].StopGradient(), [Tensor.FromArray(new[] { 0.1, 0.4, 0.2 })]);
        Assert.False(result.Passed);
        Assert.Contains("FAILED", result.ToString());
        Assert.Equal([1], result.Index);
        // Both sides carry the check's random projection weight, so compare their ratio.
        Assert.Equal(2.0, result.Numeric / result.Analytic, 6);
    }
}
