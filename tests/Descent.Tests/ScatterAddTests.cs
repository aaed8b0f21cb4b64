namespace Descent.Tests;

/// <summary>
/// ScatterAdd (the backward of Gather and Embedding) over index counts on both sides of the sizes where a device
/// changes method: a GPU sorts up to 2,048 keys inside one block and more across blocks.
/// </summary>
[OnEveryDevice]
public class ScatterAddTests
{
    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 7)]
    [InlineData(1000, 7)]
    [InlineData(2048, 3000)]
    [InlineData(2049, 7)]
    [InlineData(5000, 3000)]
    [InlineData(70000, 513)]
    public void Sums_every_update_into_its_row(int count, int rows)
    {
        const int width = 3;
        var g = new Generator(count);
        var indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = g.NextInt(rows);
        // Small whole numbers, so every order of summation gives the same exact sum.
        var updates = new double[count * width];
        for (int i = 0; i < updates.Length; i++) updates[i] = g.NextInt(9) - 4;
        var expected = new double[rows * width];
        for (int i = 0; i < count; i++)
            for (int c = 0; c < width; c++) expected[indices[i] * width + c] += updates[i * width + c];

        var y = Tensor.ScatterAdd(Tensor.FromArray(updates, count, width), Tensor.FromArray(indices, count), 0, [rows, width]);

        Assert.Equal(expected, y.ToArray<double>());
    }
}
