using Descent.Nn.Losses;

namespace Descent.Nn.Tests.Losses;

[OnEveryDevice]
public class LossBehaviourTests
{
    private static Tensor M(double[,] values) => Tensor.FromArray(values);
    private static Tensor V(params double[] values) => Tensor.FromArray(values, values.Length);

    private static Tensor Logits => M(new[,] { { 2.0, -1.0, 0.5 }, { -0.3, 0.8, 1.7 } });
    private static Tensor OneHot => M(new[,] { { 1.0, 0, 0 }, { 0, 0, 1.0 } });

    [Fact]
    public void From_logits_equals_probabilities_for_moderate_values()
    {
        var bceLogits = LossFunctions.BinaryCrossentropy(OneHot, Logits, fromLogits: true);
        var bceProbs = LossFunctions.BinaryCrossentropy(OneHot, Logits.Sigmoid());
        var cceLogits = LossFunctions.CategoricalCrossentropy(OneHot, Logits, fromLogits: true, labelSmoothing: 0.1);
        var cceProbs = LossFunctions.CategoricalCrossentropy(OneHot, Logits.Softmax(), labelSmoothing: 0.1);
        var scce = LossFunctions.SparseCategoricalCrossentropy(Tensor.FromArray(new long[] { 0, 2 }, 2), Logits, fromLogits: true);

        FixtureFile.AssertClose(bceProbs.ToArray<double>(), bceLogits.ToArray<double>(), 1e-12);
        FixtureFile.AssertClose(cceProbs.ToArray<double>(), cceLogits.ToArray<double>(), 1e-12);
        FixtureFile.AssertClose(LossFunctions.CategoricalCrossentropy(OneHot, Logits, fromLogits: true).ToArray<double>(), scce.ToArray<double>(), 1e-15);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Extreme_logits_and_probabilities_give_finite_losses_and_gradients(DType dtype)
    {
        var logits = new Variable(M(new[,] { { 1000.0, -1000.0 }, { -1000.0, 1000.0 } }).Cast(dtype));
        var probabilities = new Variable(M(new[,] { { 1.0, 0.0 }, { 0.0, 1.0 } }).Cast(dtype));
        var target = M(new[,] { { 0.0, 1.0 }, { 0.0, 1.0 } }).Cast(dtype);
        var labels = Tensor.FromArray(new[] { 1, 1 }, 2);
        Func<Tensor>[] losses =
        [
            () => LossFunctions.BinaryCrossentropy(target, logits, fromLogits: true, labelSmoothing: 0.1),
            () => LossFunctions.CategoricalCrossentropy(target, logits, fromLogits: true),
            () => LossFunctions.SparseCategoricalCrossentropy(labels, logits, fromLogits: true),
            () => LossFunctions.BinaryCrossentropy(target, probabilities),
            () => LossFunctions.CategoricalCrossentropy(target, probabilities),
            () => LossFunctions.SparseCategoricalCrossentropy(labels, probabilities),
            () => LossFunctions.KLDivergence(target, probabilities),
        ];
        foreach (var loss in losses)
        {
            using var tape = new GradientTape();
            var value = loss().Sum();
            value.CheckNumerics("loss");
            foreach (var g in tape.Gradient(value, [logits, probabilities]))
                g?.CheckNumerics("gradient");
        }
        // Logit 1000 for the wrong class costs 2000 in softmax cross-entropy: finite and exact.
        Assert.Equal(2000, LossFunctions.CategoricalCrossentropy(target, logits, fromLogits: true).ToArray<double>()[0], 3);
    }

    public static TheoryData<string> LossNames() => ["mse", "mae", "huber", "bce", "bce_logits", "cce", "cce_logits", "scce", "scce_logits", "kld"];

    [Theory]
    [MemberData(nameof(LossNames))]
    public void Gradients_pass_a_finite_difference_check(string name)
    {
        var yTrue = M(new[,] { { 0.2, 0.3, 0.5 }, { 0.1, 0.1, 0.8 } });
        var labels = Tensor.FromArray(new[] { 2, 0 }, 2);
        var probabilities = M(new[,] { { 0.15, 0.25, 0.6 }, { 0.5, 0.3, 0.2 } });
        Func<Tensor, Tensor> loss = name switch
        {
            "mse" => p => LossFunctions.MeanSquaredError(yTrue, p),
            "mae" => p => LossFunctions.MeanAbsoluteError(yTrue, p),
            "huber" => p => LossFunctions.Huber(yTrue, p * 4, delta: 0.5),
            "bce" => p => LossFunctions.BinaryCrossentropy(yTrue, p, labelSmoothing: 0.1),
            "bce_logits" => p => LossFunctions.BinaryCrossentropy(yTrue, p * 3 - 1, fromLogits: true),
            "cce" => p => LossFunctions.CategoricalCrossentropy(yTrue, p, labelSmoothing: 0.2),
            "cce_logits" => p => LossFunctions.CategoricalCrossentropy(yTrue, p * 3, fromLogits: true),
            "scce" => p => LossFunctions.SparseCategoricalCrossentropy(labels, p),
            "scce_logits" => p => LossFunctions.SparseCategoricalCrossentropy(labels, p * 3, fromLogits: true),
            _ => p => LossFunctions.KLDivergence(yTrue, p),
        };

        var result = GradientCheck.Run(x => loss(x[0]).Sum(), [probabilities]);

        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void Loss_objects_apply_their_reduction()
    {
        var yTrue = M(new[,] { { 0.0, 0 }, { 0, 0 } });
        var yPred = M(new[,] { { 1.0, 1 }, { 2, 2 } });

        Assert.Equal([1.0, 4.0], new MeanSquaredError(Reduction.None).Compute(yTrue, yPred).ToArray<double>());
        Assert.Equal(5.0, new MeanSquaredError(Reduction.Sum).Compute(yTrue, yPred).Item<double>());
        Assert.Equal(2.5, new MeanSquaredError().Compute(yTrue, yPred).Item<double>());
        Assert.Equal(1.5, new MeanAbsoluteError().Compute(yTrue, yPred).Item<double>());
        Assert.Equal("mean_squared_error", new MeanSquaredError().Name);
    }

    [Fact]
    public void Rank_one_inputs_are_one_value_per_sample_and_B_aligns_with_B_by_1()
    {
        var perSample = LossFunctions.MeanSquaredError(V(1, 2, 3), M(new[,] { { 1.0 }, { 4 }, { 3 } }));
        Assert.Equal([0.0, 4.0, 0.0], perSample.ToArray<double>());
    }

    [Fact]
    public void Sparse_labels_may_be_int32_int64_or_whole_floats_of_shape_B_or_B_by_1()
    {
        var expected = LossFunctions.CategoricalCrossentropy(OneHot, Logits, fromLogits: true).ToArray<double>();
        Tensor[] labelForms =
        [
            Tensor.FromArray(new[] { 0, 2 }, 2),
            Tensor.FromArray(new long[] { 0, 2 }, 2, 1),
            Tensor.FromArray(new[] { 0f, 2f }, 2),
            Tensor.FromArray(new[] { 0.0, 2.0 }, 2, 1),
        ];
        foreach (var labels in labelForms)
            FixtureFile.AssertClose(expected, new SparseCategoricalCrossentropy(fromLogits: true, Reduction.None).Compute(labels, Logits).ToArray<double>(), 1e-15);
    }

    [Fact]
    public void Label_outside_the_classes_names_the_label_and_its_index()
    {
        // The results are read: an asynchronous device (cuda) reports a failed label check at its next download.
        var e = Assert.Throws<ArgumentException>(() => LossFunctions.SparseCategoricalCrossentropy(Tensor.FromArray(new[] { 0, 3 }, 2), Logits).ToArray<double>());
        Assert.Contains("label 3 at flat index 1 is outside [0, 3)", e.Message);
        e = Assert.Throws<ArgumentException>(() => LossFunctions.SparseCategoricalCrossentropy(Tensor.FromArray(new[] { -1, 0 }, 2), Logits).ToArray<double>());
        Assert.Contains("label -1 at flat index 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => LossFunctions.SparseCategoricalCrossentropy(V(0.5, 1), Logits).ToArray<double>());
        Assert.Contains("not a whole number", e.Message);
    }

    [Fact]
    public void Mismatched_shapes_name_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => LossFunctions.MeanSquaredError(M(new double[2, 2]), Logits));
        Assert.Contains("MeanSquaredError: yTrue shape [2,2] does not match yPred shape [2,3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => LossFunctions.CategoricalCrossentropy(V(1, 0, 0), Logits));
        Assert.Contains("[3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => LossFunctions.SparseCategoricalCrossentropy(Tensor.FromArray(new[] { 0, 1, 2 }, 3), Logits));
        Assert.Contains("labels of shape [3] do not match predictions with batch shape [2]", e.Message);
    }

    [Fact]
    public void Integer_predictions_and_bad_options_are_rejected()
    {
        var ints = Tensor.FromArray(new[] { 1, 0 }, 2);
        Assert.Contains("predictions must be float32 or float64, got int32", Assert.Throws<ArgumentException>(() => LossFunctions.BinaryCrossentropy(ints, ints)).Message);
        Assert.Contains("predictions must be float32 or float64", Assert.Throws<ArgumentException>(() => LossFunctions.SparseCategoricalCrossentropy(ints, ints)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryCrossentropy(labelSmoothing: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Huber(delta: 0));
        Assert.Throws<ArgumentException>(() => LossFunctions.CategoricalCrossentropy(OneHot, Logits, axis: 2));
    }

    [Theory]
    [InlineData("mse", typeof(MeanSquaredError))]
    [InlineData("MSE", typeof(MeanSquaredError))]
    [InlineData("mean_absolute_error", typeof(MeanAbsoluteError))]
    [InlineData("huber_loss", typeof(Huber))]
    [InlineData("binary_crossentropy", typeof(BinaryCrossentropy))]
    [InlineData("categorical_crossentropy", typeof(CategoricalCrossentropy))]
    [InlineData("sparse_categorical_crossentropy", typeof(SparseCategoricalCrossentropy))]
    [InlineData("SparseCategoricalCrossentropy", typeof(SparseCategoricalCrossentropy))]
    [InlineData("kld", typeof(KLDivergence))]
    public void Get_resolves_Keras_names(string name, Type expected) => Assert.IsType(expected, Loss.Get(name));

    [Fact]
    public void Get_rejects_unknown_names_listing_the_known_ones() =>
        Assert.Contains("known: mse", Assert.Throws<ArgumentException>(() => Loss.Get("hinge")).Message);
}
