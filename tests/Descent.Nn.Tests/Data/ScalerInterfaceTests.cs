using Descent.Nn.Data;

namespace Descent.Nn.Tests.Data;

/// <summary>Both scalers work through <see cref="IScaler"/>, as the descent tool uses them without knowing which it holds.</summary>
public class ScalerInterfaceTests
{
    private static TabularData Table(float[] features, int columns) =>
        new(features, Enumerable.Range(0, columns).Select(c => $"x{c}").ToArray(), new float[features.Length / columns], "test");

    [Fact]
    public void Each_scaler_transforms_by_its_own_state_through_the_interface()
    {
        // Column 0: 1, 3 (mean 2, std 1; min 1, range 2). Column 1: 10, 30 (mean 20, std 10; min 10, range 20).
        var data = Table([1, 10, 3, 30], columns: 2);
        IScaler[] scalers = [FeatureScaler.Fit(data), MinMaxScaler.Fit(data)];
        float[][] expected = [[-1, -1, 1, 1], [0, 0, 1, 1]];
        for (int i = 0; i < scalers.Length; i++)
        {
            Assert.Equal(2, scalers[i].Columns);
            Assert.Equal(expected[i], scalers[i].Transform(data).Features);
            var inPlace = new float[] { 1, 10, 3, 30 };
            scalers[i].TransformInPlace(inPlace);
            Assert.Equal(expected[i], inPlace);
        }
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_refused_through_the_interface()
    {
        IScaler scaler = new MinMaxScaler([0f, 0f], [16f, 16f]);
        var e = Assert.Throws<ArgumentException>(() => scaler.TransformInPlace(new float[3]));
        Assert.Contains("MinMaxScaler", e.Message);
    }
}
