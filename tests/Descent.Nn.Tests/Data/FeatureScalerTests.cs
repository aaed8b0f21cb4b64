using Descent.Nn.Data;

namespace Descent.Nn.Tests.Data;

public class FeatureScalerTests
{
    private static TabularData Table(float[] features, int columns) =>
        new(features, Enumerable.Range(0, columns).Select(c => $"x{c}").ToArray(), new float[features.Length / columns], "test");

    [Fact]
    public void Fit_computes_population_mean_and_std_per_column()
    {
        // Column 0: 1, 3 → mean 2, std 1. Column 1: 10, 30 → mean 20, std 10.
        var scaler = FeatureScaler.Fit(Table([1, 10, 3, 30], columns: 2));

        Assert.Equal([2f, 20f], scaler.Mean);
        Assert.Equal([1f, 10f], scaler.Std);
    }

    [Fact]
    public void Transform_standardizes_and_leaves_the_input_untouched()
    {
        var data = Table([1, 10, 3, 30, 2, 20], columns: 2);
        var scaler = FeatureScaler.Fit(data);

        var scaled = scaler.Transform(data);

        Assert.Equal([1f, 10f, 3f, 30f, 2f, 20f], data.Features);
        float s = MathF.Sqrt(1.5f); // (x − mean)/std with std = sqrt(2/3)
        Assert.Equal([-s, -s, s, s, 0, 0], scaled.Features, (a, b) => MathF.Abs(a - b) < 1e-6f);
        Assert.Same(data.Targets, scaled.Targets);
    }

    [Fact]
    public void Constant_column_gets_std_1_and_maps_to_zero()
    {
        var data = Table([0.1f, 1, 0.1f, 2, 0.1f, 3], columns: 2);
        var scaler = FeatureScaler.Fit(data);

        Assert.Equal(1f, scaler.Std[0]);
        Assert.All(Enumerable.Range(0, 3), r => Assert.Equal(0f, scaler.Transform(data).Features[r * 2]));
    }

    [Fact]
    public void Fitted_on_training_rows_only()
    {
        var iris = EmbeddedDatasets.Iris();
        var (train, test) = DataSplit.TrainTestSplit(iris.Rows, 0.2, seed: 5, iris.Labels);
        var scaler = FeatureScaler.Fit(iris.Subset(train));

        var scaledTrain = scaler.Transform(iris.Subset(train));
        for (int c = 0; c < 4; c++)
        {
            var column = Enumerable.Range(0, scaledTrain.Rows).Select(r => (double)scaledTrain.Features[r * 4 + c]).ToArray();
            Assert.Equal(0, column.Average(), 5);
            Assert.Equal(1, Math.Sqrt(column.Select(v => v * v).Average()), 5);
        }
        Assert.NotEqual(FeatureScaler.Fit(iris.Subset(test)).Mean, scaler.Mean);
    }

    [Fact]
    public void Saved_state_round_trips()
    {
        var scaler = FeatureScaler.Fit(Table([1, 10, 3, 30], columns: 2));
        var restored = new FeatureScaler((float[])scaler.Mean.Clone(), (float[])scaler.Std.Clone());
        float[] values = [5, 50];

        restored.TransformInPlace(values);

        Assert.Equal([3f, 3f], values);
    }

    [Fact]
    public void Column_count_mismatch_is_rejected()
    {
        var scaler = FeatureScaler.Fit(Table([1, 10, 3, 30], columns: 2));
        var e = Assert.Throws<ArgumentException>(() => scaler.Transform(Table([1, 2, 3], columns: 3)));
        Assert.Contains("3 columns", e.Message);
    }

    [Fact]
    public void Zero_std_in_saved_state_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new FeatureScaler([0f], [0f]));
}
