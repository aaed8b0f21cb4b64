using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Models;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Models;

/// <summary>Keras's autocast: float data of the other precision runs through a model instead of being refused.</summary>
[OnEveryDevice]
public class InputCastTests
{
    private static Sequential Float32Model(long seed = 4) =>
        new([new Reshape([2, 2, 1]), new Conv2D(2, 2, activation: "relu"), new Flatten(), new Dense(3, "tanh"), new Dense(1)], inputShape: [4], seed: seed);

    private static Tensor Data(DType dtype) => Tensor.RandomUniform([8, 4], new Generator(2), -1, 1, DType.Float64).Cast(dtype);

    [Fact]
    public void Float64_data_into_a_float32_model_predicts_as_the_float32_data_does()
    {
        var model = Float32Model();
        var fromDoubles = model.Predict(Data(DType.Float64));
        Assert.Equal(DType.Float32, fromDoubles.DType);
        Assert.Equal(model.Predict(Data(DType.Float32)).ToArray<float>(), fromDoubles.ToArray<float>());
    }

    [Fact]
    public void Float64_data_trains_a_float32_model_as_the_float32_data_does()
    {
        float[] Train(DType dtype)
        {
            var model = Float32Model();
            model.Compile(new SGD(0.1), new MeanSquaredError());
            var y = Tensor.RandomUniform([8, 1], new Generator(3), -1, 1, DType.Float64).Cast(dtype);
            model.Fit(Data(dtype), y, epochs: 3, batchSize: 4, verbose: 0);
            Assert.All(model.Variables, v => Assert.Equal(DType.Float32, v.DType));
            return model.Variables.SelectMany(v => v.ToArray<float>()).ToArray();
        }
        Assert.Equal(Train(DType.Float32), Train(DType.Float64));
    }

    [Fact]
    public void Float32_data_into_a_float64_layer_is_widened_and_the_gradient_comes_back_as_float32()
    {
        var dense = new Dense(2) { DType = DType.Float64 };
        var x = Tensor.RandomUniform([3, 4], new Generator(5), -1, 1);
        var wide = dense.Call(x.Cast(DType.Float64));
        var y = dense.Call(x);
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal(wide.ToArray<double>(), y.ToArray<double>());

        using var tape = new GradientTape();
        tape.Watch(x);
        var gradient = tape.Gradient(dense.Call(x).Sum(), x)!;
        Assert.Equal(DType.Float32, gradient.DType);
        // d(sum(x·K + b))/dx = the row sums of K, for every row.
        var rowSums = dense.Variables[0].Sum(1).ToArray<double>();
        var g = gradient.ToArray<float>();
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
                Assert.Equal((float)rowSums[c], g[r * 4 + c]);
    }
}
