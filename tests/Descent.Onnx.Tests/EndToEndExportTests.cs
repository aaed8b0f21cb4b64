using Descent.Nn.Data;
using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Models;
using Descent.Optimizers;

namespace Descent.Onnx.Tests;

/// <summary>
/// Whole models as a user trains them, exported after training and run by ONNX Runtime on real data: the MLP and CNN
/// shapes `descent train` builds, with the layers around them (dropout, batch and layer normalization, pooling).
/// On the CPU only: training on the reference device's scalar loops would take minutes, and LayerExportTests already
/// covers export from every device.
/// </summary>
public class EndToEndExportTests
{
    [Fact]
    public void A_trained_iris_mlp_gives_the_probabilities_Predict_gives()
    {
        var iris = Datasets.Iris();
        var x = Tensor.FromArray(iris.Features, iris.Rows, iris.Columns);
        var y = Tensor.FromArray(iris.Labels!, iris.Rows);
        var model = new Sequential(
            [new Dense(16, "relu"), new Dropout(0.2), new LayerNormalization(), new Dense(8, "tanh"), new Dense(3, "softmax")], seed: 1);
        model.Compile(new Adam(0.02), new SparseCategoricalCrossentropy(), [new SparseCategoricalAccuracy()]);

        var history = model.Fit(x, y, epochs: 30, batchSize: 16, verbose: 0, seed: 2);

        Assert.True(history["loss"][^1] < history["loss"][0] / 2, $"the model did not train: loss {history["loss"][0]} -> {history["loss"][^1]}");
        foreach (int opset in new[] { OnnxExport.MinOpset, OnnxExport.DefaultOpset, OnnxExport.MaxOpset })
            OnnxRuntimeRunner.AssertMatchesPredict(model, x, opset);
    }

    [Fact]
    public void A_trained_digits_cnn_gives_the_logits_Predict_gives()
    {
        var digits = Datasets.Digits();
        const int rows = 600;
        var x = Tensor.FromArray(digits.Features.AsSpan(0, rows * 64).ToArray(), rows, 64) / 16.0;
        var y = Tensor.FromArray(digits.Labels!.AsSpan(0, rows).ToArray(), rows);
        var model = new Sequential(
        [
            new Reshape([8, 8, 1]),
            new Conv2D(8, 3, padding: "same", activation: "relu"),
            new BatchNormalization(),
            new MaxPooling2D(2),
            new Conv2D(16, 3, padding: "same", activation: "relu"),
            new AveragePooling2D(2, padding: "same"),
            new Flatten(),
            new Dropout(0.25),
            new Dense(10),
        ], seed: 3);
        model.Compile(new Adam(0.01), new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy()]);

        var history = model.Fit(x, y, epochs: 3, batchSize: 32, verbose: 0, seed: 4);

        Assert.True(history["loss"][^1] < history["loss"][0] / 2, $"the model did not train: loss {history["loss"][0]} -> {history["loss"][^1]}");
        // Training moved BatchNormalization's moving statistics away from (0, 1): the export must use them.
        var bn = (BatchNormalization)model.Layers[2];
        Assert.NotEqual(0f, bn.MovingMean!.ToArray<float>().Select(v => Math.Abs(v)).Max());
        OnnxRuntimeRunner.AssertMatchesPredict(model, x);
        OnnxRuntimeRunner.AssertMatchesPredict(model, x, OnnxExport.MinOpset);
    }
}
