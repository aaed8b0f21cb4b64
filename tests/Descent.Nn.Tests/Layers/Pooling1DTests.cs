using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

/// <summary>MaxPooling1D beyond the PyTorch fixtures, and the global 1-D poolings with and without masks.</summary>
[OnEveryDevice]
public class Pooling1DTests
{
    // A property, not a field: each device's copy of a test builds it on that device.
    private static Tensor X => Tensor.FromArray(new double[] { 1, -1, 4, 2, 3, 0, -2, 5 }, 1, 4, 2);

    [Fact]
    public void Global_average_and_max_reduce_the_steps()
    {
        AssertClose([1.5, 1.5], new GlobalAveragePooling1D().Call(X));
        AssertClose([4, 5], new GlobalMaxPooling1D().Call(X));
        Assert.Equal([1, 1, 2], new GlobalAveragePooling1D(keepDims: true).Call(X).Shape);
        Assert.Equal([1, 1, 2], new GlobalMaxPooling1D(keepDims: true).Call(X).Shape);
        Assert.Equal([2], new GlobalMaxPooling1D().ComputeOutputShape([4, 2]));
        Assert.Equal([1, 2], new GlobalAveragePooling1D(keepDims: true).ComputeOutputShape([4, 2]));
    }

    [Fact]
    public void Global_average_with_a_mask_averages_the_unmasked_steps_only()
    {
        var mask = Tensor.FromArray(new[] { true, false, true, false }, 1, 4);
        AssertClose([2, -0.5], new GlobalAveragePooling1D().Call(X, mask: mask)); // steps 0 and 2: (1 + 3) / 2, (-1 + 0) / 2
        var layer = new GlobalAveragePooling1D();
        Assert.True(layer.SupportsMasking);
        Assert.Null(layer.ComputeMask(X, mask)); // the steps are gone
        Assert.Contains("the mask must be [batch, time] = [1,4]",
            Assert.Throws<ArgumentException>(() => layer.Call(X, mask: Tensor.FromArray(new[] { true, false }, 1, 2))).Message);
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var mask = Tensor.FromArray(new[] { 1.0, 0, 1, 1, 0, 1 }, 2, 3);
        var average = new GlobalAveragePooling1D();
        AssertGradientsMatch(average, [Random(1, 2, 3, 4)], args => average.Call(args[0], mask: mask));
        AssertGradientsMatch(new GlobalMaxPooling1D(), Random(2, 2, 3, 4));
        AssertGradientsMatch(new MaxPooling1D(2, 1, "same"), Random(3, 2, 5, 3));
    }

    [Fact]
    public void Max_pooling_strides_default_to_the_pool_size()
    {
        var pool = new MaxPooling1D(3);
        Assert.Equal(3, pool.Strides);
        Assert.Equal([2, 4], pool.ComputeOutputShape([7, 4]));
        Assert.Equal([3, 4], new MaxPooling1D(3, padding: "same").ComputeOutputShape([7, 4]));
        AssertClose([4, 2], new MaxPooling1D(3).Call(X));
    }

    [Fact]
    public void Configs_round_trip()
    {
        foreach (Layer layer in new Layer[] { new MaxPooling1D(3, 2, "same"), new GlobalAveragePooling1D(true), new GlobalMaxPooling1D(true) })
        {
            var copy = RoundTrip(layer);
            Assert.IsType(layer.GetType(), copy);
            Assert.Equal(ConfigJson(layer), ConfigJson(copy));
        }
    }

    [Fact]
    public void Bad_arguments_and_inputs_are_rejected_with_the_layer_name()
    {
        Assert.Contains("pool_size and strides must be positive", Assert.Throws<ArgumentException>(() => new MaxPooling1D(2, 0)).Message);
        Assert.Contains("padding must be", Assert.Throws<ArgumentException>(() => new MaxPooling1D(padding: "causal")).Message);
        Assert.Contains("shorter than the pool 3", Assert.Throws<ArgumentException>(() => new MaxPooling1D(3).Call(Tensor.Zeros([1, 2, 1]))).Message);
        Assert.Contains("expects input [batch, steps, features]",
            Assert.Throws<ArgumentException>(() => new GlobalMaxPooling1D(name: "g").Call(Tensor.Zeros([2, 3]))).Message);
        Assert.Contains("expects input [batch, steps, features]",
            Assert.Throws<ArgumentException>(() => new GlobalAveragePooling1D().Call(Tensor.Zeros([2, 3, 4, 5]))).Message);
    }
}
