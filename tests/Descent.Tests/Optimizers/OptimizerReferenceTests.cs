using System.Text.Json;
using Descent.Optimizers;

namespace Descent.Tests.Optimizers;

/// <summary>Five steps on f(w) = Σ c·(w − target)² against torch.optim (Fixtures/optimizers.py).</summary>
[OnEveryDevice]
public class OptimizerReferenceTests
{
    private static readonly JsonElement Fixture =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "optimizers.json"))).RootElement;

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Fixture.GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("name").GetString()!, c.GetProperty("dtype").GetString()!);
        return data;
    }

    // The same hyperparameters as the CASES table of optimizers.py.
    private static Optimizer Create(string name) => name switch
    {
        "sgd" => new SGD(0.1),
        "sgd_momentum" => new SGD(0.05, momentum: 0.9),
        "sgd_nesterov" => new SGD(0.05, momentum: 0.9, nesterov: true),
        "sgd_weight_decay" => new SGD(0.05, momentum: 0.5, weightDecay: 0.1),
        "adam" => new Adam(0.1),
        "adam_betas" => new Adam(0.2, beta1: 0.8, beta2: 0.95, epsilon: 1e-3),
        "adam_amsgrad" => new Adam(0.3, amsgrad: true),
        "adam_weight_decay" => new Adam(0.1, weightDecay: 0.5),
        "adamw" => new AdamW(0.1),
        "adamw_decay_amsgrad" => new AdamW(0.1, weightDecay: 0.3, amsgrad: true),
        "rmsprop" => new RMSprop(0.01),
        "rmsprop_momentum" => new RMSprop(0.01, rho: 0.9, momentum: 0.8),
        "rmsprop_centered" => new RMSprop(0.01, centered: true),
        "rmsprop_centered_momentum" => new RMSprop(0.02, rho: 0.8, momentum: 0.5, epsilon: 1e-4, centered: true),
        "adagrad" => new Adagrad(0.5),
        "adagrad_initial_accumulator" => new Adagrad(0.5, initialAccumulatorValue: 0.1, epsilon: 1e-6),
        _ => throw new ArgumentException($"no optimizer for fixture case '{name}'"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Trajectory_matches_torch_optim(string name, string dtype)
    {
        var dt = dtype == "float64" ? DType.Float64 : DType.Float32;
        Tensor Vector(string key) => Tensor.FromArray(Doubles(Fixture.GetProperty(key)), 4).Cast(dt);
        var w = new Variable(Vector("w0"), "w");
        var target = Vector("target");
        var c = Vector("c");
        var optimizer = Create(name);
        var steps = Fixture.GetProperty("cases").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == name && e.GetProperty("dtype").GetString() == dtype)
            .GetProperty("steps").EnumerateArray().ToArray();

        for (int step = 0; step < steps.Length; step++)
        {
            using (var tape = new GradientTape())
            {
                var loss = (c * (w - target).Square()).Sum();
                optimizer.ApplyGradients([tape.Gradient(loss, w)], [w]);
            }
            Check.Close(Doubles(steps[step]), w.ToArray<double>(), dt == DType.Float64 ? 1e-12 : 1e-6, $"{name} {dtype} step {step + 1}");
        }
        Assert.Equal(steps.Length, optimizer.Iterations);
    }
}
