using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Models;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Models;

/// <summary>
/// Whole models trained on the reference device agree with the CPU: every layer, loss, metric and optimizer
/// step stays on the data's device (the reference backend refuses CPU buffers, so a leak would throw), and the
/// numbers differ only by float32 rounding.
/// </summary>
public class ReferenceDeviceTrainingTests
{
    public static TheoryData<string> Models => ["dense", "embedding", "conv"];

    private static Sequential Make(string kind) => kind switch
    {
        "dense" => new Sequential([new Dense(16, "relu"), new Dropout(0.3), new BatchNormalization(), new LayerNormalization(), new Dense(3)], seed: 2),
        "embedding" => new Sequential([new Embedding(10, 4), new Flatten(), new Dense(3, "tanh")], seed: 2),
        _ => new Sequential([new Conv2D(4, 3, padding: "same"), new MaxPooling2D(2), new Conv2D(4, 3), new GlobalAveragePooling2D(), new Dense(3)], seed: 2),
    };

    private static double[] Fit(string kind, Device device)
    {
        using var scope = Device.Use(device);
        var g = new Generator(1);
        var x = kind switch
        {
            "embedding" => Tensor.RandomUniform([32, 5], g, 0, 10).Cast(DType.Int32),
            "conv" => Tensor.RandomNormal([16, 8, 8, 2], g),
            _ => Tensor.RandomNormal([32, 6], g),
        };
        var y = Tensor.RandomUniform([x.Shape[0]], g, 0, 3).Cast(DType.Int32);
        var model = Make(kind);
        model.Compile(new Adam(0.01), new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy()]);
        var history = model.Fit(x, y, epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0, seed: 5);
        var predictions = model.Predict(x);
        Assert.Same(device, predictions.Device);
        return [.. history["loss"], .. history["val_loss"], .. predictions.ToArray<double>()];
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Fit_and_predict_on_the_reference_device_match_the_cpu(string kind)
    {
        var cpu = Fit(kind, Device.Cpu);
        var reference = Fit(kind, Device.Reference);
        Assert.Equal(cpu.Length, reference.Length);
        for (int i = 0; i < cpu.Length; i++)
            Assert.True(Math.Abs(cpu[i] - reference[i]) <= 1e-5 * Math.Max(1, Math.Abs(cpu[i])), $"{kind}: value {i} is {reference[i]:R} on the reference device, {cpu[i]:R} on the CPU");
    }
}
