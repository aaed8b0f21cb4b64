using Descent.Nn.Callbacks;
using Descent.Nn.Data;
using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Models;
using Descent.Nn.Training;
using Descent.Optimizers;

namespace Descent.Nn.Tests.DeviceGuard;

/// <summary>
/// Leak guard: a model trained, evaluated and used for prediction on data that lives on the device under test,
/// while another device is the default, keeps everything on the data's device and follows the CPU's run.
/// </summary>
[OnEveryDevice]
public class TrainingDeviceGuardTests
{
    private readonly Device _device = Device.Default;

    // 48 rows of 4 features in 3 classes; the class is the sign pattern of two features, so it can be learned.
    private static (Tensor X, Tensor Y) Data(Device device)
    {
        var x = Enumerable.Range(0, 48 * 4).Select(i => (float)Math.Sin(0.7 * i + 0.3)).ToArray();
        var y = Enumerable.Range(0, 48).Select(r => x[r * 4] > 0 ? (x[r * 4 + 1] > 0 ? 2 : 1) : 0).ToArray();
        return (Tensor.FromArray(x, [48, 4], device), Tensor.FromArray(y, [48], device));
    }

    private static Sequential Model() => new([new Dense(8, "tanh"), new Dropout(0.2, seed: 3), new BatchNormalization(), new Dense(3)], seed: 1);

    private static void Compile(Model model) =>
        model.Compile(new Adam(0.02) { ClipNorm = 1 }, new SparseCategoricalCrossentropy(fromLogits: true),
            [new SparseCategoricalAccuracy(), new SparseTopKCategoricalAccuracy(k: 2)]);

    private static (History History, Tensor Prediction, IReadOnlyDictionary<string, double> Evaluation, Model Model) FitPredictEvaluate(Device device)
    {
        var (x, y) = Data(device);
        var model = Model();
        Compile(model);
        var history = model.Fit(x, y, epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0, seed: 5,
            callbacks: [new EarlyStopping(patience: 5), new ReduceLROnPlateau(patience: 1), new TerminateOnNaN()]);
        return (history, model.Predict(x, batchSize: 20), model.Evaluate(x, y, batchSize: 20), model);
    }

    [Fact]
    public void Fit_predict_and_evaluate_keep_the_data_device_and_follow_the_cpu()
    {
        var expected = Elsewhere.OnTheCpu(() => FitPredictEvaluate(Device.Cpu));
        var actual = Elsewhere.Run(_device, () => FitPredictEvaluate(_device));

        Elsewhere.On(_device, actual.Prediction, "the prediction");
        foreach (var v in actual.Model.Variables) Elsewhere.On(_device, v, $"variable {v.Name}");
        Elsewhere.Close(expected.Prediction, actual.Prediction, 1e-4, "prediction");
        foreach (var (key, values) in expected.History.Values)
            for (int e = 0; e < values.Count; e++)
                Assert.True(Math.Abs(values[e] - actual.History.Values[key][e]) <= 1e-4 * Math.Max(1, Math.Abs(values[e])),
                    $"{key} in epoch {e + 1}: {actual.History.Values[key][e]:R} on {_device}, {values[e]:R} on the cpu");
        foreach (var (key, value) in expected.Evaluation)
            Assert.True(Math.Abs(value - actual.Evaluation[key]) <= 1e-4 * Math.Max(1, Math.Abs(value)), $"evaluated {key}: {actual.Evaluation[key]:R} on {_device}, {value:R} on the cpu");
    }

    [Fact]
    public void Fit_on_a_shuffled_batched_dataset_gathers_rows_on_the_data_device()
    {
        Elsewhere.Run(_device, () =>
        {
            var (x, y) = Data(_device);
            var model = Model();
            Compile(model);
            var train = Dataset.FromTensorSlices(x, y).Shuffle(3).Batch(10);
            var history = model.Fit(train, epochs: 2, validationData: Dataset.FromTensorSlices(x, y).Batch(16), verbose: 0);
            Assert.Equal(2, history["loss"].Count);
            foreach (var (bx, by) in train)
            {
                Elsewhere.On(_device, bx, "a batch of features");
                Elsewhere.On(_device, by, "a batch of labels");
            }
            return 0;
        });
    }

    [Fact]
    public void Weights_copied_set_saved_and_loaded_stay_on_the_models_device()
    {
        using var folder = new Serialization.TempFolder();
        Elsewhere.Run(_device, () =>
        {
            var (x, _) = Data(_device);
            var model = Model();
            var before = model.Predict(x);
            foreach (var w in model.GetWeights()) Elsewhere.On(_device, w, "a copy from GetWeights");
            model.SetWeights(model.GetWeights());
            model.SaveWeights(folder.File("model.safetensors"));
            model.LoadWeights(folder.File("model.safetensors"));
            foreach (var v in model.Variables) Elsewhere.On(_device, v, $"variable {v.Name} after LoadWeights");
            Elsewhere.Close(before, model.Predict(x), 0, "the prediction after the round trip");
            return 0;
        });
    }
}
