using Descent.Nn.Data;

namespace Descent.Nn.Tests.Data;

public class MinMaxScalerTests
{
    private static TabularData Table(float[] features, int columns) =>
        new(features, Enumerable.Range(0, columns).Select(c => $"x{c}").ToArray(), new float[features.Length / columns], "test");

    [Fact]
    public void Fit_and_transform_map_each_column_to_0_1()
    {
        var data = Table([1, 10, 3, 30, 2, 50], columns: 2);
        var scaler = MinMaxScaler.Fit(data);

        var scaled = scaler.Transform(data);

        Assert.Equal([1f, 10f], scaler.Min);
        Assert.Equal([2f, 40f], scaler.Range);
        Assert.Equal([0f, 0f, 1f, 0.5f, 0.5f, 1f], scaled.Features);
        Assert.Equal([1f, 10f, 3f, 30f, 2f, 50f], data.Features);
    }

    [Fact]
    public void Rows_outside_the_training_range_fall_outside_0_1_and_constant_columns_map_to_0()
    {
        var scaler = MinMaxScaler.Fit(Table([0, 5, 10, 5], columns: 2));
        float[] test = [20, 5, -10, 7];

        scaler.TransformInPlace(test);

        Assert.Equal([2f, 0f, -1f, 2f], test);
    }

    [Fact]
    public void Bad_state_and_column_counts_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new MinMaxScaler([0f], [0f]));
        var scaler = MinMaxScaler.Fit(Table([1, 2], columns: 2));
        Assert.Contains("3 columns", Assert.Throws<ArgumentException>(() => scaler.Transform(Table([1, 2, 3], columns: 3))).Message);
    }
}
