using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class PoolingTests
{
    /// <summary>Max or mean over the in-bounds cells of each window (so "same" padding never counts).</summary>
    private static double[] NaivePool(double[] x, int[] xs, (int, int) pool, (int, int) s, bool same, bool max, out int[] shape)
    {
        int b = xs[0], h = xs[1], w = xs[2], c = xs[3];
        var (top, ho) = Conv2DTests.Geometry(h, pool.Item1, s.Item1, 1, same);
        var (left, wo) = Conv2DTests.Geometry(w, pool.Item2, s.Item2, 1, same);
        shape = [b, ho, wo, c];
        var y = new double[b * ho * wo * c];
        for (int n = 0; n < b; n++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double acc = max ? double.NegativeInfinity : 0;
                        int count = 0;
                        for (int i = 0; i < pool.Item1; i++)
                            for (int j = 0; j < pool.Item2; j++)
                            {
                                int iy = oy * s.Item1 + i - top, ix = ox * s.Item2 + j - left;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                double v = x[((n * h + iy) * w + ix) * c + ch];
                                acc = max ? Math.Max(acc, v) : acc + v;
                                count++;
                            }
                        y[((n * ho + oy) * wo + ox) * c + ch] = max ? acc : acc / count;
                    }
        return y;
    }

    [Theory]
    [InlineData(true, "valid", 2, 2, 2, 2)]
    [InlineData(true, "same", 2, 2, 2, 2)]
    [InlineData(true, "same", 3, 3, 2, 2)]
    [InlineData(true, "valid", 3, 2, 1, 2)]
    [InlineData(false, "valid", 2, 2, 2, 2)]
    [InlineData(false, "same", 2, 2, 2, 2)]
    [InlineData(false, "same", 3, 3, 2, 2)]
    [InlineData(false, "same", 3, 2, 1, 1)]
    public void Forward_matches_naive_loops(bool max, string padding, int ph, int pw, int sh, int sw)
    {
        // Negative values everywhere make a zero-padded max (a common bug) visible.
        var x = Random(5, 2, 5, 7, 3) - 2.0;
        Pooling2D layer = max ? new MaxPooling2D((ph, pw), (sh, sw), padding) : new AveragePooling2D((ph, pw), (sh, sw), padding);

        var y = layer.Call(x);

        var expected = NaivePool(x.ToArray<double>(), [2, 5, 7, 3], (ph, pw), (sh, sw), padding == "same", max, out var shape);
        Assert.Equal(shape, y.Shape);
        Assert.Equal(shape[1..], layer.ComputeOutputShape([5, 7, 3]));
        AssertClose(expected, y, 1e-12);
    }

    [Fact]
    public void Strides_default_to_the_pool_size()
    {
        var pool = new MaxPooling2D(3);
        Assert.Equal((3, 3), pool.Strides);
        Assert.Equal([2, 2, 4], pool.ComputeOutputShape([7, 8, 4]));
    }

    [Theory]
    [InlineData(true, "valid")]
    [InlineData(true, "same")]
    [InlineData(false, "same")]
    public void Gradients_match_finite_differences(bool max, string padding)
    {
        Layer layer = max ? new MaxPooling2D(3, 2, padding) : new AveragePooling2D(3, 2, padding);
        AssertGradientsMatch(layer, Random(6, 2, 5, 4, 2));
    }

    [Fact]
    public void Global_average_pooling_is_the_spatial_mean()
    {
        var x = Random(7, 2, 3, 4, 5);
        var layer = new GlobalAveragePooling2D();
        var y = layer.Call(x);
        Assert.Equal([2, 5], y.Shape);
        Assert.Equal([5], layer.ComputeOutputShape([3, 4, 5]));
        var v = x.ToArray<double>();
        var expected = new double[10];
        for (int i = 0; i < v.Length; i++) expected[i / 60 * 5 + i % 5] += v[i] / 12;
        AssertClose(expected, y, 1e-12);

        var kept = new GlobalAveragePooling2D(keepDims: true);
        Assert.Equal([2, 1, 1, 5], kept.Call(x).Shape);
        Assert.Equal([1, 1, 5], kept.ComputeOutputShape([3, 4, 5]));
    }

    [Fact]
    public void Global_average_pooling_gradients_match() => AssertGradientsMatch(new GlobalAveragePooling2D(), Random(8, 2, 3, 2, 2));

    [Fact]
    public void Pooling_rejects_non_image_input()
    {
        var e = Assert.Throws<ArgumentException>(() => new AveragePooling2D(name: "avg").Call(Tensor.Zeros([2, 4, 4])));
        Assert.Contains("AveragePooling2D 'avg': expects input [batch, height, width, channels]", e.Message);
        Assert.Throws<ArgumentException>(() => new GlobalAveragePooling2D().Call(Tensor.Zeros([2, 4])));
        Assert.Throws<ArgumentException>(() => new MaxPooling2D(3).Call(Tensor.Zeros([1, 2, 2, 1])));
    }
}
