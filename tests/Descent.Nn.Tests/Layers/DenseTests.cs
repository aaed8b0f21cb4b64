using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class DenseTests
{
    [Fact]
    public void Forward_is_x_times_kernel_plus_bias()
    {
        var dense = new Dense(2) { DType = DType.Float64 };
        dense.Build([3]);
        dense.Kernel!.Assign(Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2));
        dense.Bias!.Assign(Tensor.FromArray(new double[] { 0.5, -1 }));

        var y = dense.Call(Tensor.FromArray(new double[] { 1, 0, -1, 2, 1, 1 }, 2, 3));

        // [1,0,-1]·W = [1-5, 2-6] = [-4,-4]; [2,1,1]·W = [2+3+5, 4+4+6] = [10,14]
        Assert.Equal([2, 2], y.Shape);
        AssertClose([-3.5, -5, 10.5, 13], y);
    }

    [Fact]
    public void Rank_3_input_is_transformed_along_the_last_axis()
    {
        var dense = new Dense(4, "tanh") { DType = DType.Float64 };
        var x = Random(1, 2, 3, 5);
        var y = dense.Call(x);

        Assert.Equal([2, 3, 4], y.Shape);
        Assert.Equal([3, 4], dense.ComputeOutputShape([3, 5]));
        for (int b = 0; b < 2; b++)
        {
            var expected = (x[b].MatMul(dense.Kernel!) + dense.Bias!).Tanh().ToArray<double>();
            AssertClose(expected, y[b]);
        }
    }

    [Fact]
    public void Without_bias_there_is_only_a_kernel()
    {
        var dense = new Dense(3, useBias: false);
        dense.Build([2]);
        Assert.Null(dense.Bias);
        Assert.Single(dense.Variables);
        Assert.Equal([2, 3], dense.Kernel!.Shape);
        Assert.Equal($"{dense.Name}/kernel", dense.Kernel.Name);
    }

    [Fact]
    public void Weights_are_deterministic_for_a_build_seed()
    {
        var a = new Dense(4);
        var b = new Dense(4);
        a.Build([3], new Generator(5));
        b.Build([3], new Generator(5));
        Assert.Equal(a.Kernel!.ToArray<float>(), b.Kernel!.ToArray<float>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sigmoid")]
    [InlineData("softmax")]
    public void Gradients_match_finite_differences(string? activation) =>
        AssertGradientsMatch(new Dense(3, activation), Random(2, 2, 4));

    [Fact]
    public void Gradients_match_for_rank_3_input_without_bias() =>
        AssertGradientsMatch(new Dense(2, "gelu", useBias: false), Random(3, 2, 2, 3));

    [Fact]
    public void Input_with_the_wrong_feature_count_names_the_layer()
    {
        var dense = new Dense(2, name: "d");
        dense.Build([3]);
        var e = Assert.Throws<ArgumentException>(() => dense.Call(Tensor.Zeros([4, 5])));
        Assert.Contains("Dense 'd'", e.Message);
        Assert.Contains("[4,5]", e.Message);
    }
}
