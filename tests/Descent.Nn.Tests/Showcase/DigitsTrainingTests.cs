using Descent.Nn.Data;
using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Models;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Showcase;

/// <summary>The issue's showcase runs: real layers, losses and optimizers trained with Fit on real data.</summary>
[OnEveryDevice]
public class DigitsTrainingTests
{
    private static (Tensor XTrain, Tensor YTrain, Tensor XTest, Tensor YTest) Digits(long seed)
    {
        var data = Datasets.Digits();
        var (train, test) = DataSplit.TrainTestSplit(data.Rows, 0.2, seed, data.Labels);
        (Tensor, Tensor) Take(int[] rows)
        {
            var part = data.Subset(rows);
            // Pixel counts are 0..16; scaled to [0, 1] with a constant, so no statistic leaks from the test rows.
            return (Tensor.FromArray(part.Features, part.Rows, part.Columns) / 16.0, Tensor.FromArray(part.Labels!));
        }
        var (xTrain, yTrain) = Take(train);
        var (xTest, yTest) = Take(test);
        return (xTrain, yTrain, xTest, yTest);
    }

    [Fact]
    public void Mlp_on_digits_reaches_97_percent_test_accuracy()
    {
        var (xTrain, yTrain, xTest, yTest) = Digits(seed: 42);
        var model = new Sequential([new Dense(128, activation: "relu"), new Dense(64, activation: "relu"), new Dense(10)], seed: 1);
        model.Compile(new Adam(learningRate: 2e-3), new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy()]);
        var history = model.Fit(xTrain, yTrain, epochs: 30, batchSize: 32, verbose: 0, seed: 7);
        var result = model.Evaluate(xTest, yTest);
        Assert.True(result["sparse_categorical_accuracy"] >= 0.97, $"test accuracy {result["sparse_categorical_accuracy"]:F4}");
        Assert.True(history["loss"][^1] < history["loss"][0] / 10, "the training loss fell by at least 10x");
    }

    [Fact]
    [SkipOn("reference", "its scalar loops take about six minutes per run of these 1,437 images × 15 epochs; Conv2D and pooling run " +
        "there in LayerDeviceGuardTests and ReferenceDeviceTrainingTests")]
    public void Small_cnn_on_8x8_digits_averages_98_percent_test_accuracy_over_three_seeds()
    {
        // One run's accuracy moves by a few of the 359 test images with the seed, so a single run against a bar near
        // its typical value passes or fails by luck. Twelve seeds (model seed s, shuffling seed s + 100, s = 0..11) got
        // 353 to 358 right (98.3% to 99.7%, mean 99.2%, about 1.4 images of standard deviation). The mean of three
        // runs has about 0.3 points of spread, so 98% is 4 to 5 of those below it; and no run may fall below 97%,
        // 5 images under the worst seen, which catches one broken run among good ones.
        var (xTrain, yTrain, xTest, yTest) = Digits(seed: 42);
        var accuracies = new List<double>();
        for (long seed = 0; seed < 3; seed++)
        {
            var model = new Sequential(
            [
                new Reshape([8, 8, 1]),
                new Conv2D(16, 3, padding: "same", activation: "relu"),
                new Conv2D(32, 3, padding: "same", activation: "relu"),
                new MaxPooling2D(2),
                new Flatten(),
                new Dense(64, activation: "relu"),
                new Dense(10),
            ], seed: seed);
            model.Compile(new Adam(learningRate: 2e-3), new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy()]);
            model.Fit(xTrain, yTrain, epochs: 15, batchSize: 32, verbose: 0, seed: seed + 100);
            accuracies.Add(model.Evaluate(xTest, yTest)["sparse_categorical_accuracy"]);
        }
        string all = string.Join(", ", accuracies.Select(a => a.ToString("F4")));
        Assert.True(accuracies.Average() >= 0.98, $"mean test accuracy {accuracies.Average():F4} ({all})");
        Assert.All(accuracies, a => Assert.True(a >= 0.97, $"a run's test accuracy {a:F4} ({all})"));
    }

    [Fact]
    public void Xor_is_solved_by_a_2_2_1_sigmoid_network_with_sgd_from_most_seeds()
    {
        var x = Tensor.FromArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var y = Tensor.FromArray(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } });
        // Two hidden sigmoids sometimes start in XOR's well-known local minimum (one input pattern stuck
        // near 1/3), so no single seed is asserted: most of forty must solve it.
        int solved = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var model = new Sequential([new Dense(2, activation: "sigmoid"), new Dense(1, activation: "sigmoid")], seed: seed);
            model.Compile(new SGD(learningRate: 1.0, momentum: 0.9), new BinaryCrossentropy(), [new BinaryAccuracy()]);
            model.Fit(x, y, epochs: 500, batchSize: 4, verbose: 0);
            var predictions = model.Predict(x).ToArray<float>();
            bool right = predictions.Select(p => p > 0.5f ? 1f : 0f).SequenceEqual([0f, 1f, 1f, 0f]);
            if (right && model.Evaluate(x, y)["loss"] < 0.05) solved++;
        }
        Assert.True(solved >= 24, $"{solved} of 40 seeds solved XOR"); // 27 do with Philox initial weights
    }
}
