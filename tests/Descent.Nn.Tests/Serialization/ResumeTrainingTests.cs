using System.Text.Json;
using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Models;
using Descent.Nn.Tests.Helpers;
using Descent.Optimizers;
using MaeMetric = Descent.Nn.Metrics.MeanAbsoluteError;
using MeanSquaredError = Descent.Nn.Losses.MeanSquaredError;

namespace Descent.Nn.Tests.Serialization;

/// <summary>Model.Save keeps the compile settings and the optimizer's state, so a loaded model resumes Fit (as Keras's model.save).</summary>
[OnEveryDevice]
public class ResumeTrainingTests
{
    public static TheoryData<string> Optimizers => new() { "adam", "adamw_amsgrad", "sgd_nesterov", "rmsprop_centered", "adagrad", "adam_schedule_clipnorm" };

    private static Optimizer Create(string name) => name switch
    {
        "adam" => new Adam(0.05),
        "adamw_amsgrad" => new AdamW(0.05, amsgrad: true),
        "sgd_nesterov" => new SGD(0.05, momentum: 0.9, nesterov: true),
        "rmsprop_centered" => new RMSprop(0.01, momentum: 0.5, centered: true),
        "adagrad" => new Adagrad(0.1),
        "adam_schedule_clipnorm" => new Adam(0.05) { Schedule = new ExponentialDecay(0.05, 3, 0.5), ClipNorm = 0.5 },
        _ => throw new ArgumentException(name),
    };

    private static Sequential Compiled(string optimizer)
    {
        var model = new Sequential([new Dense(5, "tanh", name: "hidden"), new Dense(1, name: "out")], inputShape: [3], seed: 11, name: "regressor");
        model.Compile(Create(optimizer), new MeanSquaredError(), [new MaeMetric("mae")]);
        return model;
    }

    // Unshuffled, so that each Fit call sees the batches in the same order and the two runs can be compared step by step.
    private static void Train(Model model, int epochs)
    {
        var (x, y) = Xor.Linear();
        model.Fit(x, y, epochs: epochs, batchSize: 16, shuffle: false, verbose: 0);
    }

    private static float[] Weights(Model model) => model.Variables.SelectMany(v => v.ToArray<float>()).ToArray();

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_loaded_model_resumes_fit_on_the_uninterrupted_trajectory(string optimizer)
    {
        var straight = Compiled(optimizer);
        Train(straight, 4);

        using var folder = new TempFolder();
        var first = Compiled(optimizer);
        Train(first, 2);
        first.Save(folder.Path);
        var resumed = Model.Load(folder.Path);
        Assert.Equal(8, resumed.Optimizer!.Iterations);
        Train(resumed, 2);

        Assert.Equal(Weights(straight), Weights(resumed));
    }

    [Fact]
    public void Without_the_optimizer_state_the_trajectory_differs()
    {
        // The check above can fail: the same weights with a fresh Adam take other steps.
        var straight = Compiled("adam");
        Train(straight, 4);
        using var folder = new TempFolder();
        var first = Compiled("adam");
        Train(first, 2);
        first.Save(folder.Path);
        File.Delete(folder.File(Model.OptimizerFile));
        var restarted = Model.Load(folder.Path);
        Assert.Equal(0, restarted.Optimizer!.Iterations);
        Train(restarted, 2);
        Assert.NotEqual(Weights(straight), Weights(restarted));
    }

    [Fact]
    public void Compile_settings_come_back_as_they_were()
    {
        using var folder = new TempFolder();
        var model = new Sequential([new Dense(3, name: "logits")], inputShape: [4], seed: 2);
        var adam = new AdamW(0.003, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, amsgrad: true, weightDecay: 0.05)
        {
            GlobalClipNorm = 2,
            Schedule = new PiecewiseConstantDecay([10, 20], [0.003, 0.002, 0.001]),
        };
        model.Compile(adam, new SparseCategoricalCrossentropy(fromLogits: true, reduction: Reduction.Sum, name: "xent"),
            [new SparseCategoricalAccuracy("acc"), new SparseTopKCategoricalAccuracy(2, "top2"), new AUC(50)]);
        model.Save(folder.Path);

        var loaded = Model.Load(folder.Path);
        var o = Assert.IsType<AdamW>(loaded.Optimizer);
        Assert.Equal((0.003, 0.8, 0.99, 1e-6, true, 0.05), (o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.Amsgrad, o.WeightDecay));
        Assert.Null(o.ClipValue);
        Assert.Null(o.ClipNorm);
        Assert.Equal(2.0, o.GlobalClipNorm);
        var schedule = Assert.IsType<PiecewiseConstantDecay>(o.Schedule);
        Assert.Equal([10L, 20L], schedule.Boundaries);
        Assert.Equal([0.003, 0.002, 0.001], schedule.Values);
        var loss = Assert.IsType<SparseCategoricalCrossentropy>(loaded.Loss);
        Assert.Equal((true, Reduction.Sum, "xent"), (loss.FromLogits, loss.Reduction, loss.Name));
        Assert.Equal(["acc", "top2", "auc"], loaded.Metrics.Select(m => m.Name));
        Assert.Equal(2, Assert.IsType<SparseTopKCategoricalAccuracy>(loaded.Metrics[1]).K);
        Assert.Equal(50, Assert.IsType<AUC>(loaded.Metrics[2]).Thresholds.Count);
    }

    [Fact]
    public void A_model_compiled_with_a_custom_loss_is_saved_uncompiled()
    {
        using var folder = new TempFolder();
        var model = new Sequential([new Dense(1)], inputShape: [3], seed: 2);
        model.Compile(new Adam(), new MseLoss());
        Train(model, 1);
        model.Save(folder.Path);

        var loaded = Model.Load(folder.Path);
        Assert.Null(loaded.Optimizer);
        Assert.False(File.Exists(folder.File(Model.OptimizerFile)));
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File(Model.ArchitectureFile)));
        Assert.False(json.RootElement.TryGetProperty("compile", out _));
    }

    [Fact]
    public void An_uncompiled_model_is_saved_without_optimizer_state()
    {
        using var folder = new TempFolder();
        new Sequential([new Dense(1)], inputShape: [3]).Save(folder.Path);
        Assert.False(File.Exists(folder.File(Model.OptimizerFile)));
        Assert.Null(Model.Load(folder.Path).Optimizer);
    }

    [Fact]
    public void Optimizer_state_that_does_not_fit_the_model_names_the_file()
    {
        using var folder = new TempFolder();
        var small = Compiled("adam");
        Train(small, 1);
        small.Save(folder.Path);
        using var other = new TempFolder();
        var wide = new Sequential([new Dense(7, "tanh", name: "hidden"), new Dense(1, name: "out")], inputShape: [3], seed: 11);
        wide.Compile(new Adam(0.05), new MeanSquaredError());
        Train(wide, 1);
        wide.Save(other.Path);
        File.Copy(other.File(Model.OptimizerFile), folder.File(Model.OptimizerFile), overwrite: true);

        var e = Assert.Throws<InvalidDataException>(() => Model.Load(folder.Path));
        Assert.Contains(Model.OptimizerFile, e.Message);
        Assert.Contains("variable 'hidden/", e.Message);
    }

    [Fact]
    public void A_bad_compile_entry_names_model_json()
    {
        using var folder = new TempFolder();
        Compiled("adam").Save(folder.Path);
        string path = folder.File(Model.ArchitectureFile);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"Adam\"", "\"Lion\""));
        var e = Assert.Throws<InvalidDataException>(() => Model.Load(folder.Path));
        Assert.Contains("model.json", e.Message);
        Assert.Contains("unknown optimizer 'Lion'", e.Message);
    }
}
