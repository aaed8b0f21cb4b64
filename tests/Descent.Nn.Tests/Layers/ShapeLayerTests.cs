using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class ShapeLayerTests
{
    [Fact]
    public void Flatten_keeps_the_batch_and_row_major_order()
    {
        var x = Random(1, 2, 3, 4);
        var y = new Flatten().Call(x);
        Assert.Equal([2, 12], y.Shape);
        Assert.Equal(x.ToArray<double>(), y.ToArray<double>());
        Assert.Equal([60], new Flatten().ComputeOutputShape([3, 4, 5]));
    }

    [Fact]
    public void Reshape_infers_minus_one_per_sample()
    {
        var layer = new Reshape([-1, 2]);
        var x = Random(2, 3, 2, 3);
        var y = layer.Call(x);
        Assert.Equal([3, 3, 2], y.Shape);
        Assert.Equal([3, 2], layer.ComputeOutputShape([2, 3]));
        Assert.Equal(x.ToArray<double>(), y.ToArray<double>());
    }

    [Fact]
    public void Reshape_rejects_bad_targets_and_mismatched_sizes()
    {
        Assert.Throws<ArgumentException>(() => new Reshape([-1, -1]));
        Assert.Throws<ArgumentException>(() => new Reshape([0, 2]));
        var e = Assert.Throws<ArgumentException>(() => new Reshape([4], name: "r").Call(Tensor.Zeros([2, 5])));
        Assert.Contains("Reshape 'r': cannot reshape input shape [5]", e.Message);
        Assert.Throws<ArgumentException>(() => new Reshape([-1, 3]).ComputeOutputShape([4]));
    }

    [Fact]
    public void Flatten_and_reshape_pass_gradients_through()
    {
        AssertGradientsMatch(new Flatten(), Random(3, 2, 2, 3));
        AssertGradientsMatch(new Reshape([3, -1]), Random(4, 2, 6));
    }
}
