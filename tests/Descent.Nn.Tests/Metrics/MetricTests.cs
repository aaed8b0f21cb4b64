using Descent.Nn.Losses;
using Descent.Nn.Metrics;

namespace Descent.Nn.Tests.Metrics;

[OnEveryDevice]
public class MetricTests
{
    private static Tensor M(double[,] values) => Tensor.FromArray(values);
    private static Tensor V(params double[] values) => Tensor.FromArray(values, values.Length);
    private static Tensor Labels(params int[] values) => Tensor.FromArray(values, values.Length);

    /// <summary>Feeds the batches, checks the running results, then checks that a reset starts over.</summary>
    private static void AssertRunning(Metric metric, (Tensor YTrue, Tensor YPred, double Expected)[] batches)
    {
        for (int i = 0; i < batches.Length; i++)
        {
            metric.UpdateState(batches[i].YTrue, batches[i].YPred);
            Assert.Equal(batches[i].Expected, metric.Result(), 12);
        }
        metric.ResetState();
        Assert.Equal(0, metric.Result());
    }

    [Fact]
    public void Accuracy_counts_exact_matches_across_batches()
    {
        var metric = new Accuracy();
        // 3 of 4, then 1 of 2: 4 of 6. Labels [B] against predictions [B,1] align.
        AssertRunning(metric, [(Labels(1, 2, 3, 4), M(new[,] { { 1.0 }, { 2 }, { 0 }, { 4 } }), 0.75), (V(0, 1), V(0, 0), 4.0 / 6)]);
        metric.UpdateState(V(0, 1), V(0, 0));
        Assert.Equal(0.5, metric.Result(), 12); // after the reset, only this batch counts
    }

    [Fact]
    public void BinaryAccuracy_thresholds_strictly()
    {
        // Predictions equal to the threshold count as negative.
        AssertRunning(new BinaryAccuracy(), [
            (M(new[,] { { 1.0, 0 }, { 0, 1 } }), M(new[,] { { 0.7, 0.5 }, { 0.2, 0.4 } }), 0.75),
            (V(1, 1), V(0.51, 0.1), 4.0 / 6)]);
        AssertRunning(new BinaryAccuracy(threshold: 0.3), [(V(1, 0, 1), V(0.35, 0.1, 0.2), 2.0 / 3)]);
    }

    [Fact]
    public void CategoricalAccuracy_compares_argmaxes()
    {
        var yTrue = M(new[,] { { 0.0, 1, 0 }, { 1, 0, 0 }, { 0, 0, 1 } });
        var yPred = M(new[,] { { 0.1, 0.8, 0.1 }, { 0.3, 0.6, 0.1 }, { 0.2, 0.2, 0.6 } });
        AssertRunning(new CategoricalAccuracy(), [(yTrue, yPred, 2.0 / 3), (yTrue[..1], yPred[1..2], 3.0 / 4)]);
    }

    [Fact]
    public void SparseCategoricalAccuracy_takes_int_or_float_labels_of_shape_B_or_B_by_1()
    {
        var yPred = M(new[,] { { 0.1, 0.8, 0.1 }, { 0.3, 0.6, 0.1 }, { 0.2, 0.2, 0.6 } });
        AssertRunning(new SparseCategoricalAccuracy(), [
            (Labels(1, 0, 2), yPred, 2.0 / 3),
            (Tensor.FromArray(new long[] { 1, 1, 1 }, 3, 1), yPred, 4.0 / 6),
            (V(0, 0, 2), yPred, 5.0 / 9)]);
    }

    [Fact]
    public void TopK_counts_the_true_class_among_the_k_largest_with_ties_included()
    {
        var yPred = M(new[,] { { 0.5, 0.3, 0.2, 0.0 }, { 0.1, 0.2, 0.3, 0.4 }, { 0.4, 0.2, 0.2, 0.2 } });
        // k = 2: row 0 label 1 (2nd) hit; row 1 label 0 (4th) miss; row 2 label 3 ties the 2nd largest: hit, as in_top_k.
        AssertRunning(new SparseTopKCategoricalAccuracy(k: 2), [(Labels(1, 0, 3), yPred, 2.0 / 3)]);
        var oneHot = Tensor.OneHot(Labels(1, 0, 3), 4, dtype: DType.Float64);
        AssertRunning(new TopKCategoricalAccuracy(k: 2), [(oneHot, yPred, 2.0 / 3), (oneHot[1..2], yPred[1..2], 2.0 / 4)]);
        AssertRunning(new TopKCategoricalAccuracy(k: 1), [(oneHot, yPred, 0)]);
    }

    [Fact]
    public void Regression_metrics_average_per_sample_errors()
    {
        AssertRunning(new Descent.Nn.Metrics.MeanSquaredError(), [
            (M(new[,] { { 0.0, 0 }, { 1, 1 } }), M(new[,] { { 1.0, 1 }, { 1, 3 } }), (1 + 2) / 2.0),
            (M(new[,] { { 0.0, 0 } }), M(new[,] { { 3.0, 3 } }), (1 + 2 + 9) / 3.0)]);
        AssertRunning(new Descent.Nn.Metrics.MeanAbsoluteError(), [(V(0, 0), V(1, -3), 2), (V(1), V(1), 4.0 / 3)]);
    }

    [Fact]
    public void Precision_and_recall_accumulate_confusion_counts()
    {
        // Batch 1: TP at 0.9, FP at 0.6, FN at 0.2 (positive), TN at 0.1. Batch 2: TP at 0.7, FN at 0.5 (not above 0.5).
        var b1 = (V(1, 0, 1, 0), V(0.9, 0.6, 0.2, 0.1));
        var b2 = (V(1, 1), V(0.7, 0.5));
        AssertRunning(new Precision(), [(b1.Item1, b1.Item2, 0.5), (b2.Item1, b2.Item2, 2.0 / 3)]);
        AssertRunning(new Recall(), [(b1.Item1, b1.Item2, 0.5), (b2.Item1, b2.Item2, 2.0 / 4)]);
        var none = new Precision();
        none.UpdateState(V(1, 1), V(0.1, 0.2));
        Assert.Equal(0, none.Result());
    }

    [Fact]
    public void AUC_matches_the_exact_ROC_area_when_scores_are_separated()
    {
        // Pairs (positive, negative) ordered correctly: (0.9,0.8) (0.9,0.1) (0.4,0.1), wrong: (0.4,0.8): 3/4.
        // Adding a positive at 0.85 and a negative at 0.3: 3 pos × 3 neg, wrong pairs (0.4, 0.8) only: 8/9.
        AssertRunning(new AUC(), [(V(1, 0, 1, 0), V(0.9, 0.8, 0.4, 0.1), 0.75), (V(1, 0), V(0.85, 0.3), 8.0 / 9)]);
    }

    [Fact]
    public void AUC_gives_half_credit_to_scores_between_the_same_thresholds()
    {
        // With 3 thresholds (−ε, 0.5, 1+ε), 0.6 and 0.9 are tied; the trapezoid counts that pair as one half.
        var auc = new AUC(numThresholds: 3);
        auc.UpdateState(V(1, 0, 0), V(0.9, 0.6, 0.1));
        Assert.Equal(0.75, auc.Result(), 12);
        Assert.Equal([-1e-7, 0.5, 1 + 1e-7], auc.Thresholds);
        Assert.Equal(200, new AUC().Thresholds.Count);
        Assert.Equal(1.0 / 199, new AUC().Thresholds[1], 15);
    }

    [Fact]
    public void Mean_averages_values_and_weighted_batch_losses()
    {
        var mean = new Mean();
        mean.UpdateState(V(1, 2, 3));
        Assert.Equal(2, mean.Result());
        mean.UpdateState(10, weight: 3);
        Assert.Equal(6, mean.Result());
        mean.ResetState();
        Assert.Equal(0, mean.Result());
    }

    [Fact]
    public void Bad_shapes_and_values_throw()
    {
        var pred = M(new[,] { { 0.1, 0.9 }, { 0.8, 0.2 } });
        Assert.Contains("yTrue shape [3] does not match yPred shape [2,2]",
            Assert.Throws<ArgumentException>(() => new CategoricalAccuracy().UpdateState(V(1, 0, 0), pred)).Message);
        Assert.Contains("label 2 at flat index 1 is outside [0, 2)",
            Assert.Throws<ArgumentException>(() =>
            {
                // Read back: an asynchronous device (cuda) reports a failed range check at its next download.
                var metric = new SparseCategoricalAccuracy();
                metric.UpdateState(Labels(0, 2), pred);
                return metric.Result();
            }).Message);
        Assert.Contains("does not match", Assert.Throws<ArgumentException>(() => new Precision().UpdateState(V(1, 0, 1), V(0.5, 0.5))).Message);
        Assert.Contains("got 1.5 at flat index 1", Assert.Throws<ArgumentException>(() => new AUC().UpdateState(V(1, 0), V(0.5, 1.5))).Message);
        Assert.Contains("float32 or float64", Assert.Throws<ArgumentException>(() => new BinaryAccuracy().UpdateState(V(1, 0), Labels(1, 0))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopKCategoricalAccuracy(k: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Recall(threshold: 2));
    }

    [Theory]
    [InlineData("accuracy", null, typeof(Accuracy))]
    [InlineData("acc", "sparse_categorical_crossentropy", typeof(SparseCategoricalAccuracy))]
    [InlineData("accuracy", "categorical_crossentropy", typeof(CategoricalAccuracy))]
    [InlineData("accuracy", "binary_crossentropy", typeof(BinaryAccuracy))]
    [InlineData("accuracy", "mse", typeof(Accuracy))]
    [InlineData("sparse_categorical_accuracy", null, typeof(SparseCategoricalAccuracy))]
    [InlineData("top_k_categorical_accuracy", null, typeof(TopKCategoricalAccuracy))]
    [InlineData("mae", null, typeof(Descent.Nn.Metrics.MeanAbsoluteError))]
    [InlineData("mean_squared_error", null, typeof(Descent.Nn.Metrics.MeanSquaredError))]
    [InlineData("AUC", null, typeof(AUC))]
    [InlineData("precision", null, typeof(Precision))]
    [InlineData("recall", null, typeof(Recall))]
    public void Get_resolves_Keras_names(string name, string? loss, Type expected)
    {
        var metric = Metric.Get(name, loss is null ? null : Loss.Get(loss));
        Assert.IsType(expected, metric);
        Assert.Equal(name, metric.Name);
    }

    [Fact]
    public void Get_rejects_unknown_names() =>
        Assert.Contains("unknown metric 'f1'", Assert.Throws<ArgumentException>(() => Metric.Get("f1")).Message);
}
