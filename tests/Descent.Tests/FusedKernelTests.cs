namespace Descent.Tests;

/// <summary>The fused kernels against the composed ops they replace, on odd sizes, strided inputs and both dtypes.</summary>
[OnEveryDevice]
public class FusedKernelTests
{
    public static IEnumerable<object[]> SizesAndDTypes =>
        from n in new[] { 1, 7, 63, 65, 1000 }
        from dtype in new[] { DType.Float32, DType.Float64 }
        select new object[] { n, dtype };

    private static double Tolerance(DType dtype) => dtype == DType.Float32 ? 2e-5 : 1e-12;

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * Math.Max(1, Math.Abs(e[i])), $"element {i}: expected {e[i]:R}, got {a[i]:R}");
    }

    [Theory]
    [MemberData(nameof(SizesAndDTypes))]
    public void Dense_matches_matmul_plus_bias_then_activation_forward_and_backward(int n, DType dtype)
    {
        var g = new Generator(n);
        // x arrives transposed (a strided view), as the backward of a previous layer would hand it over.
        var x = Tensor.RandomNormal([9, n], g, dtype: dtype).Transpose();
        var w = Tensor.RandomNormal([9, 5], g, dtype: dtype);
        var b = Tensor.RandomNormal([5], g, dtype: dtype);
        foreach (var (fused, composed) in new (FusedActivation, Func<Tensor, Tensor>)[]
                 {
                     (FusedActivation.Linear, t => t), (FusedActivation.Relu, t => t.Relu()),
                     (FusedActivation.Sigmoid, t => t.Sigmoid()), (FusedActivation.Tanh, t => t.Tanh()),
                 })
        {
            Tensor[] Grads(Func<Tensor> f)
            {
                using var tape = new GradientTape();
                tape.Watch([x, w, b]);
                var y = f();
                return [y, .. tape.Gradient((y * y).Sum(), [x, w, b])!.Select(t => t!)];
            }
            var actual = Grads(() => Tensor.Dense(x.Transpose().Transpose(), w, b, fused));
            var expected = Grads(() => composed(Tensor.MatMul(x, w) + b));
            for (int i = 0; i < actual.Length; i++) AssertClose(expected[i], actual[i], Tolerance(dtype));
        }
    }

    [Fact]
    public void Dense_without_bias_and_its_errors()
    {
        var x = Tensor.Ones([2, 3]);
        var w = Tensor.Ones([3, 4]);
        AssertClose(Tensor.Full([2, 4], 3), Tensor.Dense(x, w), 0);
        Assert.Contains("Dense: expects x [batch, in] and kernel [in, out], got [2,3] and [4,4]",
            Assert.Throws<ArgumentException>(() => Tensor.Dense(x, Tensor.Ones([4, 4]))).Message);
        Assert.Contains("bias has shape [3], expected [4]",
            Assert.Throws<ArgumentException>(() => Tensor.Dense(x, w, Tensor.Ones([3]))).Message);
    }

    [Theory]
    [MemberData(nameof(SizesAndDTypes))]
    public void Scaled_add_matches_add_of_a_product(int n, DType dtype)
    {
        var g = new Generator(n + 1);
        var start = Tensor.RandomNormal([n, 3], g, dtype: dtype);
        var delta = Tensor.RandomNormal([3, n], g, dtype: dtype).Transpose(); // strided
        var v = new Variable(start);
        v.AssignAdd(delta, -0.25);
        AssertClose(start + delta * -0.25, v, 0);
    }

    [Theory]
    [MemberData(nameof(SizesAndDTypes))]
    public void Fused_cross_entropy_matches_the_composed_form(int n, DType dtype)
    {
        var g = new Generator(n + 2);
        var logits = Tensor.RandomNormal([n, 11], g, stddev: 3, dtype: dtype);
        var labels = Tensor.FromArray(Enumerable.Range(0, n).Select(i => (i * 7) % 11).ToArray());
        var composed = -(logits.LogSoftmax() * Tensor.OneHot(labels, 11, dtype: dtype)).Sum(-1);
        AssertClose(composed, Tensor.SparseSoftmaxCrossEntropy(logits, labels), Tolerance(dtype));
        var strided = Tensor.RandomNormal([11, n], g, dtype: dtype).Transpose();
        var composedStrided = -(strided.LogSoftmax() * Tensor.OneHot(labels, 11, dtype: dtype)).Sum(-1);
        AssertClose(composedStrided, Tensor.SparseSoftmaxCrossEntropy(strided, labels), Tolerance(dtype));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(1000)]
    public void Vectorised_exp_matches_double_precision_on_odd_sizes_and_views(int n)
    {
        var x = Tensor.Linspace(-30, 30, 2 * n).Reshape(n, 2).Transpose()[0]; // a strided row of n values
        var expected = x.Cast(DType.Float64).Exp();
        AssertClose(expected, x.Exp(), 3e-7);
        AssertClose(x.Cast(DType.Float64).Sigmoid(), x.Sigmoid(), 3e-7);
    }
}
