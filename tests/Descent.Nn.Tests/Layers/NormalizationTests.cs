using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class NormalizationTests
{
    // x is [4, 2]: feature 0 = 1, 2, 3, 6 (mean 3, var 3.5); feature 1 = 0, 0, 4, 4 (mean 2, var 4).
    private static Tensor X => Tensor.FromArray(new double[] { 1, 0, 2, 0, 3, 4, 6, 4 }, 4, 2);

    private static double[] Normalized(double[] mean, double[] variance, double eps)
    {
        var x = X.ToArray<double>();
        return x.Select((v, i) => (v - mean[i % 2]) / Math.Sqrt(variance[i % 2] + eps)).ToArray();
    }

    [Fact]
    public void BatchNormalization_training_uses_batch_statistics_and_updates_moving_ones()
    {
        var bn = new BatchNormalization(momentum: 0.9) { DType = DType.Float64 };

        var y = bn.Call(X, training: true);

        AssertClose(Normalized([3, 2], [3.5, 4], 1e-3), y, 1e-12);
        AssertClose([0.9 * 0 + 0.1 * 3, 0.9 * 0 + 0.1 * 2], bn.MovingMean!, 1e-12);
        AssertClose([0.9 * 1 + 0.1 * 3.5, 0.9 * 1 + 0.1 * 4], bn.MovingVariance!, 1e-12);

        bn.Call(X, training: true);
        AssertClose([0.9 * 0.3 + 0.1 * 3, 0.9 * 0.2 + 0.1 * 2], bn.MovingMean!, 1e-12);
        AssertClose([0.9 * 1.25 + 0.1 * 3.5, 0.9 * 1.3 + 0.1 * 4], bn.MovingVariance!, 1e-12);
    }

    [Fact]
    public void BatchNormalization_inference_uses_moving_statistics_and_leaves_them_alone()
    {
        var bn = new BatchNormalization() { DType = DType.Float64 };
        bn.Build([2]);
        bn.MovingMean!.Assign(Tensor.FromArray(new double[] { 1, -1 }));
        bn.MovingVariance!.Assign(Tensor.FromArray(new double[] { 4, 0.25 }));
        bn.Gamma!.Assign(Tensor.FromArray(new double[] { 2, 3 }));
        bn.Beta!.Assign(Tensor.FromArray(new double[] { 0.5, 0 }));

        var inference = bn.Call(X);
        var training = bn.Call(X, training: false);

        var x = X.ToArray<double>();
        var expected = x.Select((v, i) => i % 2 == 0
            ? 2 * (v - 1) / Math.Sqrt(4 + 1e-3) + 0.5
            : 3 * (v + 1) / Math.Sqrt(0.25 + 1e-3)).ToArray();
        AssertClose(expected, inference, 1e-12);
        AssertClose(expected, training, 1e-12);
        AssertClose([1, -1], bn.MovingMean!);
        Assert.NotEqual(inference.ToArray<double>(), bn.Call(X, training: true).ToArray<double>());
    }

    [Fact]
    public void BatchNormalization_weights_split_into_trainable_and_moving()
    {
        var bn = new BatchNormalization();
        bn.Build([3, 5]);
        Assert.Equal(["gamma", "beta"], bn.TrainableVariables.Select(v => v.Name.Split('/')[1]));
        Assert.Equal(["moving_mean", "moving_variance"], bn.NonTrainableVariables.Select(v => v.Name.Split('/')[1]));
        Assert.All(bn.Variables, v => Assert.Equal([5], v.Shape));

        var noAffine = new BatchNormalization(center: false, scale: false);
        noAffine.Build([3]);
        Assert.Empty(noAffine.TrainableVariables);
    }

    [Fact]
    public void BatchNormalization_on_axis_1_normalizes_channels_first_data()
    {
        var bn = new BatchNormalization(axis: 1) { DType = DType.Float64 };
        var x = Random(1, 4, 3, 2, 2);
        var y = bn.Call(x, training: true);
        Assert.Equal([3], bn.Gamma!.Shape);
        var mean = y.Mean([0, 2, 3]).ToArray<double>();
        var variance = y.Variance([0, 2, 3]).ToArray<double>();
        var xVar = x.Variance([0, 2, 3]).ToArray<double>();
        for (int c = 0; c < 3; c++)
        {
            Assert.InRange(mean[c], -1e-12, 1e-12);
            Assert.InRange(variance[c] - xVar[c] / (xVar[c] + 1e-3), -1e-12, 1e-12);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNormalization_gradients_match(bool training) =>
        AssertGradientsMatch(new BatchNormalization(), Random(2, 5, 3), training);

    [Fact]
    public void BatchNormalization_gradients_match_on_4d_input() =>
        AssertGradientsMatch(new BatchNormalization(axis: -1), Random(3, 2, 2, 2, 3), training: true);

    [Fact]
    public void LayerNormalization_normalizes_each_sample()
    {
        var ln = new LayerNormalization(epsilon: 1e-5) { DType = DType.Float64 };
        var y = ln.Call(Tensor.FromArray(new double[] { 1, 2, 3, 4, -2, 2, 0, 0 }, 2, 4));
        // Row 0: mean 2.5, var 1.25. Row 1: mean 0, var 2.
        double a = Math.Sqrt(1.25 + 1e-5), b = Math.Sqrt(2 + 1e-5);
        AssertClose([-1.5 / a, -0.5 / a, 0.5 / a, 1.5 / a, -2 / b, 2 / b, 0, 0], y, 1e-12);
        Assert.Equal([4], ln.Gamma!.Shape);
    }

    [Fact]
    public void LayerNormalization_applies_gamma_and_beta_along_its_axis()
    {
        var ln = new LayerNormalization(axis: 1) { DType = DType.Float64 };
        ln.Build([3, 2]);
        ln.Gamma!.Assign(Tensor.FromArray(new double[] { 1, 2, 3 }));
        ln.Beta!.Assign(Tensor.FromArray(new double[] { 0, 1, 0 }));
        var x = Random(4, 2, 3, 2);
        var y = ln.Call(x);
        // On the host, in double: with axis 1, each (sample, position) pair has its own 3 channels to normalize
        // (population variance, epsilon 1e-3); then channel c is scaled by gamma[c] and shifted by beta[c].
        double[] v = x.ToArray<double>(), gamma = [1, 2, 3], beta = [0, 1, 0];
        var expected = new double[v.Length];
        for (int n = 0; n < 2; n++)
            for (int w = 0; w < 2; w++)
            {
                int At(int c) => (n * 3 + c) * 2 + w;
                double mean = (v[At(0)] + v[At(1)] + v[At(2)]) / 3;
                double variance = 0;
                for (int c = 0; c < 3; c++) variance += (v[At(c)] - mean) * (v[At(c)] - mean) / 3;
                for (int c = 0; c < 3; c++) expected[At(c)] = gamma[c] * (v[At(c)] - mean) / Math.Sqrt(variance + 1e-3) + beta[c];
            }
        AssertClose(expected, y, 1e-12);
    }

    [Fact]
    public void LayerNormalization_gradients_match() => AssertGradientsMatch(new LayerNormalization(), Random(5, 2, 3, 4));

    [Fact]
    public void Normalization_rejects_the_batch_axis_and_bad_parameters()
    {
        var e = Assert.Throws<ArgumentException>(() => new BatchNormalization(axis: 0, name: "bn").Build([3]));
        Assert.Contains("BatchNormalization 'bn': axis 0", e.Message);
        Assert.Throws<ArgumentException>(() => new LayerNormalization(axis: 3).Build([3]));
        Assert.Throws<ArgumentException>(() => new BatchNormalization(momentum: 1.5));
        Assert.Throws<ArgumentException>(() => new LayerNormalization(epsilon: 0));
    }
}
