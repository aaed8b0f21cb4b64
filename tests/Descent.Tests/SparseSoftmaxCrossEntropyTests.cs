namespace Descent.Tests;

/// <summary>The fused softmax cross-entropy against the composed ops it replaces.</summary>
[OnEveryDevice]
public class SparseSoftmaxCrossEntropyTests
{
    private static Tensor Logits(DType dtype) =>
        Tensor.RandomNormal([5, 4], new Generator(3), stddev: 3, dtype: dtype);

    private readonly Tensor _labels = Tensor.FromArray(new[] { 0, 3, 1, 1, 2 });

    private static Tensor Composed(Tensor logits, Tensor labels)
    {
        // −log_softmax(logits)[i, label_i], picked with a one-hot mask.
        var mask = Tensor.OneHot(labels, logits.Shape[1], dtype: logits.DType);
        return -(logits.LogSoftmax() * mask).Sum(-1);
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Loss_equals_minus_log_softmax_at_the_label(DType dtype)
    {
        var logits = Logits(dtype);
        var loss = Tensor.SparseSoftmaxCrossEntropy(logits, _labels);
        Assert.Equal(dtype, loss.DType);
        Assert.Equal([5], loss.Shape);
        Check.Close(Composed(logits, _labels).ToArray<double>(), loss.ToArray<double>(), 4 * Check.Tolerance(dtype));
        // And the composition with Gather along the class axis, row by row.
        var logSoftmax = logits.LogSoftmax();
        var labels = _labels.ToArray<int>();
        for (int i = 0; i < labels.Length; i++)
            Assert.Equal(-logSoftmax[i].Gather(Tensor.Scalar(labels[i])).Item<double>(), loss[i].Item<double>(), 4 * Check.Tolerance(dtype));
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Int64_labels_and_a_strided_view_give_the_same_loss(DType dtype)
    {
        var logits = Logits(dtype);
        var expected = Tensor.SparseSoftmaxCrossEntropy(logits, _labels).ToArray<double>();
        var viaView = Tensor.SparseSoftmaxCrossEntropy(logits.Transpose().Contiguous().Transpose(), _labels.Cast(DType.Int64));
        Assert.Equal(expected, viaView.ToArray<double>());
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Gradient_is_softmax_minus_one_hot(DType dtype)
    {
        var logits = Logits(dtype);
        using var tape = new GradientTape();
        tape.Watch(logits);
        var loss = Tensor.SparseSoftmaxCrossEntropy(logits, _labels).Sum();
        var grad = tape.Gradient(loss, logits)!;
        Assert.Equal(dtype, grad.DType);
        var expected = logits.Softmax() - Tensor.OneHot(_labels, 4, dtype: dtype);
        Check.Close([5, 4], expected.ToArray<double>(), grad, 4 * Check.Tolerance(dtype));
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Weighted_gradient_matches_the_composed_gradient(DType dtype)
    {
        var logits = Logits(dtype);
        var weights = Tensor.FromArray(new[] { 1.0, -2, 0.5, 3, 0 }).Cast(dtype);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(logits);
        var fused = tape.Gradient((Tensor.SparseSoftmaxCrossEntropy(logits, _labels) * weights).Sum(), logits)!;
        var composed = tape.Gradient((Composed(logits, _labels) * weights).Sum(), logits)!;
        Check.Close(composed.ToArray<double>(), fused.ToArray<double>(), 4 * Check.Tolerance(dtype));
    }

    [Fact]
    public void Gradient_passes_the_finite_difference_check_to_second_order()
    {
        var logits = Tensor.RandomNormal([3, 4], new Generator(9), dtype: DType.Float64);
        var labels = Tensor.FromArray(new long[] { 2, 0, 3 });
        var first = GradientCheck.Run(x => Tensor.SparseSoftmaxCrossEntropy(x[0], labels), [logits]);
        Assert.True(first.Passed, first.ToString());
        var second = GradientCheck.Run(x =>
        {
            using var tape = new GradientTape();
            tape.Watch(x[0]);
            return tape.Gradient(Tensor.SparseSoftmaxCrossEntropy(x[0], labels).Square().Sum(), x[0])!;
        }, [logits], tolerance: 1e-5);
        Assert.True(second.Passed, second.ToString());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void A_label_outside_the_classes_throws(int bad)
    {
        // Read back: an asynchronous device (cuda) reports a failed range check at its next download.
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            Tensor.SparseSoftmaxCrossEntropy(Logits(DType.Float32), Tensor.FromArray(new[] { 0, 1, bad, 2, 3 })).ToArray<float>());
        Assert.Contains("SparseSoftmaxCrossEntropy", e.Message);
        Assert.Contains(bad.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void Float_labels_and_mismatched_shapes_throw()
    {
        var logits = Logits(DType.Float32);
        var floatLabels = Assert.Throws<ArgumentException>(() => Tensor.SparseSoftmaxCrossEntropy(logits, _labels.Cast(DType.Float32)));
        Assert.Contains("float32", floatLabels.Message);
        var shapes = Assert.Throws<ArgumentException>(() => Tensor.SparseSoftmaxCrossEntropy(logits, Tensor.FromArray(new[] { 0, 1 })));
        Assert.Contains("[5,4]", shapes.Message);
        Assert.Contains("[2]", shapes.Message);
    }
}
