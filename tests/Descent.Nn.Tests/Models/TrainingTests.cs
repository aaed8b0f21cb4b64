using Descent.Nn.Callbacks;
using Descent.Nn.Metrics;
using Descent.Nn.Models;
using Descent.Nn.Tests.Helpers;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Models;

[OnEveryDevice]
public class TrainingTests
{
    [Fact]
    public void Xor_is_solved_by_a_2_2_1_sigmoid_network_with_SGD()
    {
        // Seed 3 (say) lands in XOR's well-known local minimum at accuracy 0.5; seed 0 does not.
        var model = Xor.Model(seed: 0);
        model.Compile(new SGD(1.0, momentum: 0.9), new BinaryCrossentropyLoss(), [new AccuracyMetric()]);

        var history = model.Fit(Xor.X, Xor.Y, epochs: 1500, batchSize: 4, verbose: 0);

        var result = model.Evaluate(Xor.X, Xor.Y);
        Assert.Equal(1.0, result["accuracy"]);
        Assert.True(result["loss"] < 0.01, $"loss {result["loss"]}");
        Assert.True(history["loss"][^1] < history["loss"][0] / 10);
        float[] p = model.Predict(Xor.X).ToArray<float>();
        Assert.True(p[0] < 0.1 && p[1] > 0.9 && p[2] > 0.9 && p[3] < 0.1, string.Join(", ", p));
    }

    [Fact]
    public void Fit_evaluate_and_predict_have_keras_shapes_and_keys()
    {
        var (x, y) = Xor.Linear(rows: 50);
        var model = new Sequential([new TestDense(4, "tanh"), new TestDense(1)], seed: 1);
        model.Compile(new SGD(0.05), new MseLoss(), [new AccuracyMetric()]);

        var history = model.Fit(x, y, epochs: 3, batchSize: 8, validationSplit: 0.2, verbose: 0);

        Assert.Equal(["loss", "accuracy", "val_loss", "val_accuracy"], history.Values.Keys);
        Assert.All(history.Values.Values, v => Assert.Equal(3, v.Count));
        Assert.Equal([0, 1, 2], history.Epochs);
        Assert.Equal([50, 1], model.Predict(x, batchSize: 7).Shape);
        var evaluation = model.Evaluate(x, y, batchSize: 16);
        Assert.Equal(["loss", "accuracy"], evaluation.Keys);
        Assert.True(model.Built);
        Assert.Equal([3], model.InputShape!);
    }

    [Fact]
    public void Predict_in_batches_equals_one_batch()
    {
        var (x, _) = Xor.Linear(rows: 21);
        var model = new Sequential([new TestDense(3, "relu"), new TestDense(2)], inputShape: [3], seed: 5);
        Assert.Equal(model.Predict(x, batchSize: 100).ToArray<float>(), model.Predict(x, batchSize: 4).ToArray<float>());
    }

    [Fact]
    public void Training_reduces_the_loss_and_evaluate_matches_the_last_epoch_without_updates()
    {
        var (x, y) = Xor.Linear();
        var model = new Sequential([new TestDense(1)], inputShape: [3], seed: 2);
        model.Compile(new SGD(0.1), new MseLoss());
        var history = model.Fit(x, y, epochs: 30, batchSize: 16, verbose: 0);
        Assert.True(history["loss"][^1] < 0.01 * history["loss"][0], string.Join(", ", history["loss"]));
        // Evaluate on the whole set equals the batch-size-weighted mean of per-batch losses.
        var whole = model.Evaluate(x, y, batchSize: 64)["loss"];
        var batched = model.Evaluate(x, y, batchSize: 10)["loss"];
        Assert.Equal(whole, batched, 1e-6);
    }

    [Fact]
    public void Two_fits_with_the_same_seed_give_bit_identical_weights_with_shuffle_and_dropout()
    {
        float[] Run(long seed)
        {
            var (x, y) = Xor.Linear();
            var model = new Sequential([new TestDense(8, "relu"), new TestDropout(0.5), new TestDense(1)], seed: seed);
            model.Compile(new SGD(0.05, momentum: 0.9), new MseLoss());
            model.Fit(x, y, epochs: 4, batchSize: 8, verbose: 0, seed: seed + 100);
            return Xor.Flat(model);
        }
        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void Fit_seed_changes_only_the_shuffle()
    {
        float[] Run(long fitSeed, bool shuffle = true)
        {
            var (x, y) = Xor.Linear();
            var model = new Sequential([new TestDense(2)], seed: 1);
            model.Compile(new SGD(0.05), new MseLoss());
            model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, seed: fitSeed, shuffle: shuffle);
            return Xor.Flat(model);
        }
        Assert.NotEqual(Run(1), Run(2));
        Assert.Equal(Run(1, shuffle: false), Run(2, shuffle: false));
    }

    [Fact]
    public void Validation_split_takes_the_last_rows_before_shuffling()
    {
        var x = Tensor.FromArray(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 10, 1);
        var model = new RecordingModel();
        model.Compile(new SGD(0.01), new MseLoss());

        model.Fit(x, x, epochs: 2, batchSize: 3, validationSplit: 0.3, verbose: 0);

        Assert.Equal([7f, 8f, 9f, 7f, 8f, 9f], model.Tested);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (float)i).ToArray(), model.Trained.Take(7).Order().ToArray());
        Assert.NotEqual(model.Trained.Take(7).ToArray(), model.Trained.Take(7).Order().ToArray()); // shuffled
    }

    [Fact]
    public void Fit_before_compile_throws_invalid_operation()
    {
        var model = Xor.Model();
        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(Xor.X, Xor.Y, verbose: 0));
        Assert.Contains("Compile", e.Message);
    }

    [Fact]
    public void Compile_with_names_resolves_through_the_registries()
    {
        Descent.Nn.Training.Registries.Losses.Register("test_mse", () => new MseLoss());
        var model = Xor.Model();
        model.Compile("sgd", "test_mse");
        Assert.IsType<SGD>(model.Optimizer);
        var e = Assert.Throws<ArgumentException>(() => model.Compile("sgd", "no_such_loss"));
        Assert.Contains("no_such_loss", e.Message);
    }

    [Fact]
    public void Duplicate_metric_names_are_rejected()
    {
        var model = Xor.Model();
        Assert.Throws<ArgumentException>(() => model.Compile(new SGD(0.1), new MseLoss(), new Metric[] { new AccuracyMetric(), new AccuracyMetric() }));
    }

    [Fact]
    public void Callback_events_come_in_keras_order()
    {
        var events = new List<string>();
        var log = new LambdaCallback
        {
            TrainBegin = _ => events.Add("train_begin"),
            EpochBegin = (e, _) => events.Add($"epoch_begin {e}"),
            BatchBegin = (b, _) => events.Add($"batch_begin {b}"),
            BatchEnd = (b, logs) => events.Add($"batch_end {b} {logs.ContainsKey("loss")}"),
            EpochEnd = (e, logs) => events.Add($"epoch_end {e} {logs.ContainsKey("val_loss")}"),
            TrainEnd = _ => events.Add("train_end"),
        };
        var model = Xor.Model();
        model.Compile(new SGD(0.1), new MseLoss());
        model.Fit(Xor.X, Xor.Y, epochs: 2, batchSize: 2, validationData: (Xor.X, Xor.Y), callbacks: [log], verbose: 0);
        Assert.Equal(
            ["train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0 True", "batch_begin 1", "batch_end 1 True", "epoch_end 0 True",
             "epoch_begin 1", "batch_begin 0", "batch_end 0 True", "batch_begin 1", "batch_end 1 True", "epoch_end 1 True", "train_end"],
            events);
    }

    /// <summary>A subclassed model that records the rows it trains and validates on.</summary>
    private sealed class RecordingModel : Model
    {
        private readonly TestDense _dense;

        public RecordingModel() => _dense = AddLayer(new TestDense(1));

        public List<float> Trained { get; } = [];

        public List<float> Tested { get; } = [];

        public override Tensor Call(Tensor inputs, bool training = false) => _dense.Call(inputs, training);

        public override IReadOnlyDictionary<string, double> TrainStep(Tensor x, Tensor y)
        {
            Trained.AddRange(x.ToArray<float>());
            return base.TrainStep(x, y);
        }

        public override IReadOnlyDictionary<string, double> TestStep(Tensor x, Tensor y)
        {
            Tested.AddRange(x.ToArray<float>());
            return base.TestStep(x, y);
        }
    }
}
