using System.Globalization;
using Descent.Nn.Callbacks;
using Descent.Nn.Models;
using Descent.Nn.Tests.Helpers;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Callbacks;

[OnEveryDevice]
public class CallbackTests
{
    private static Sequential Compiled(double learningRate = 0.05)
    {
        var model = new Sequential([new TestDense(4, "tanh"), new TestDense(1)], inputShape: [3], seed: 4);
        model.Compile(new SGD(learningRate), new MseLoss());
        return model;
    }

    /// <summary>Puts scripted values under <paramref name="name"/> in the epoch logs, ahead of the callbacks under test.</summary>
    private static LambdaCallback Script(string name, params double[] values) =>
        new() { EpochEnd = (epoch, logs) => logs[name] = values[Math.Min(epoch, values.Length - 1)] };

    [Fact]
    public void EarlyStopping_stops_after_patience_and_restores_the_best_epochs_weights()
    {
        var (x, y) = Xor.Linear();
        var model = Compiled();
        var snapshots = new List<float[]>();
        var snapshot = new LambdaCallback { EpochEnd = (_, _) => snapshots.Add(Xor.Flat(model)) };
        var stopping = new EarlyStopping(monitor: "score", patience: 2, restoreBestWeights: true);

        var history = model.Fit(x, y, epochs: 20, batchSize: 16, verbose: 0,
            callbacks: [Script("score", 1.0, 0.5, 0.7, 0.8, 0.9, 0.95), snapshot, stopping]);

        Assert.Equal(4, history["loss"].Count); // best at epoch 1, no improvement in epochs 2 and 3
        Assert.Equal(3, stopping.StoppedEpoch);
        Assert.Equal(1, stopping.BestEpoch);
        Assert.Equal(snapshots[1], Xor.Flat(model));
        Assert.NotEqual(snapshots[3], Xor.Flat(model));
    }

    [Fact]
    public void EarlyStopping_in_max_mode_and_min_delta()
    {
        var (x, y) = Xor.Linear();
        var model = Compiled();
        // Each rise is below minDelta, so none counts as an improvement.
        var stopping = new EarlyStopping(monitor: "val_accuracy", minDelta: 0.1, patience: 1);
        var history = model.Fit(x, y, epochs: 10, verbose: 0, callbacks: [Script("val_accuracy", 0.5, 0.55, 0.6, 0.65), stopping]);
        Assert.Equal(2, history["loss"].Count);
    }

    [Fact]
    public void EarlyStopping_on_a_real_loss_stops_when_it_stalls()
    {
        var (x, y) = Xor.Linear();
        var model = Compiled();
        var history = model.Fit(x, y, epochs: 50, verbose: 0, callbacks: [new EarlyStopping("loss", minDelta: 1e9, patience: 3)]);
        Assert.Equal(4, history["loss"].Count);
    }

    [Fact]
    public void TerminateOnNaN_stops_on_a_diverging_loss()
    {
        var (x, y) = Xor.Linear();
        var model = Compiled(learningRate: 1e30);
        var nan = new TerminateOnNaN();

        var history = model.Fit(x, y, epochs: 50, batchSize: 4, verbose: 0, callbacks: [nan]);

        Assert.True(history["loss"].Count < 50);
        Assert.True(nan.StoppedBatch >= 0);
        Assert.False(double.IsFinite(history["loss"][^1]));
    }

    [Fact]
    public void CSVLogger_writes_a_header_and_one_row_per_epoch()
    {
        string path = Path.Combine(Path.GetTempPath(), $"descent-csv-{Guid.NewGuid():N}.csv");
        try
        {
            var (x, y) = Xor.Linear();
            var model = Compiled();
            var history = model.Fit(x, y, epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [new CSVLogger(path)]);

            string[] lines = File.ReadAllLines(path);
            Assert.Equal(4, lines.Length);
            Assert.Equal("epoch,loss,val_loss", lines[0]);
            for (int epoch = 0; epoch < 3; epoch++)
            {
                string[] fields = lines[epoch + 1].Split(',');
                Assert.Equal(epoch.ToString(CultureInfo.InvariantCulture), fields[0]);
                Assert.Equal(history["loss"][epoch], double.Parse(fields[1], CultureInfo.InvariantCulture));
                Assert.Equal(history["val_loss"][epoch], double.Parse(fields[2], CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LearningRateScheduler_sets_the_rate_each_epoch_and_logs_it()
    {
        var (x, y) = Xor.Linear();
        var model = Compiled(learningRate: 0.1);
        var history = model.Fit(x, y, epochs: 3, verbose: 0, callbacks: [new LearningRateScheduler((epoch, lr) => epoch == 0 ? lr : lr / 2)]);
        Assert.Equal([0.1, 0.05, 0.025], history["learning_rate"]);
        Assert.Equal(0.025, model.Optimizer!.LearningRate);
    }

    [Fact]
    public void ReduceLROnPlateau_lowers_the_rate_after_patience_and_respects_min_lr()
    {
        var (x, y) = Xor.Linear();
        var model = Compiled(learningRate: 0.1);
        var reduce = new ReduceLROnPlateau(monitor: "score", factor: 0.5, patience: 2, minLr: 0.03);
        var history = model.Fit(x, y, epochs: 8, verbose: 0, callbacks: [Script("score", 1.0), reduce]);
        // Logged at each epoch end before any reduction that epoch: reductions after epochs 2, 4 (to the 0.03 floor).
        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05, 0.03, 0.03, 0.03], history["learning_rate"]);
    }

    [Fact]
    public void ModelCheckpoint_saves_best_only_when_the_monitor_improves()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"descent-ckpt-{Guid.NewGuid():N}");
        try
        {
            var (x, y) = Xor.Linear();
            var model = Compiled();
            var checkpoint = new ModelCheckpoint(Path.Combine(folder, "w-{epoch}.safetensors"), monitor: "score", saveBestOnly: true);
            model.Fit(x, y, epochs: 5, verbose: 0, callbacks: [Script("score", 3, 2, 2.5, 1, 4), checkpoint]);

            Assert.Equal(["w-1.safetensors", "w-2.safetensors", "w-4.safetensors"], checkpoint.Saved.Select(Path.GetFileName));
            Assert.All(checkpoint.Saved, f => Assert.True(File.Exists(f)));
            var copy = Compiled();
            copy.LoadWeights(checkpoint.Saved[^1]);
            Assert.NotEqual(Xor.Flat(model), Xor.Flat(copy)); // epoch 4's weights, not the final ones
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ModelCheckpoint_without_best_only_saves_every_epoch()
    {
        string path = Path.Combine(Path.GetTempPath(), $"descent-ckpt-{Guid.NewGuid():N}.safetensors");
        try
        {
            var (x, y) = Xor.Linear();
            var model = Compiled();
            var checkpoint = new ModelCheckpoint(path);
            model.Fit(x, y, epochs: 2, verbose: 0, callbacks: [checkpoint]);
            Assert.Equal(2, checkpoint.Saved.Count);
            var copy = Compiled();
            copy.LoadWeights(path);
            Assert.Equal(Xor.Flat(model), Xor.Flat(copy));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
