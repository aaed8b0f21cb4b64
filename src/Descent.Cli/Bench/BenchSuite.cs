using Descent.Optimizers;

namespace Descent.Cli.Bench;

/// <summary>
/// The benchmark cases, named and measured exactly as bench/peer.py measures PyTorch, so the two
/// outputs compare case by case.
/// </summary>
internal static class BenchSuite
{
    public static readonly string[] Names =
        ["sgemm_256", "sgemm_512", "sgemm_1024", "sgemm_2048", "mlp_step_b128", "linreg_epoch", "add_4m", "exp_4m", "sum_4m", "xent_1024x1000",
         FitStep.Name, FitDigits.Name, CnnDigits.Name, BabyGptStep.Name];

    public static BenchCase Run(string name) => name switch
    {
        "sgemm_256" => Sgemm(256),
        "sgemm_512" => Sgemm(512),
        "sgemm_1024" => Sgemm(1024),
        "sgemm_2048" => Sgemm(2048),
        "mlp_step_b128" => Mlp(),
        "linreg_epoch" => LinearRegressionEpoch(),
        "add_4m" => Elementwise("add_4m", (x, y) => x + y),
        "exp_4m" => Elementwise("exp_4m", (x, _) => x.Exp()),
        "sum_4m" => Elementwise("sum_4m", (x, _) => x.Sum()),
        "xent_1024x1000" => CrossEntropy(),
        FitStep.Name => FitStep.Run(),
        FitDigits.Name => FitDigits.Run(),
        CnnDigits.Name => CnnDigits.Run(),
        BabyGptStep.Name => BabyGptStep.Run(),
        _ => throw new ArgumentException($"bench: unknown case '{name}'; known cases: {string.Join(", ", Names)}."),
    };

    private static BenchCase Sgemm(int n)
    {
        var g = new Generator(n);
        var a = Tensor.RandomUniform([n, n], g);
        var b = Tensor.RandomUniform([n, n], g);
        int reps = Math.Max(2, (int)(4e9 / (2.0 * n * n * n)));
        double s = Timing.BestOf(() => Tensor.MatMul(a, b), reps);
        return new($"sgemm_{n}", 2.0 * n * n * n / s / 1e9, "GFLOP/s", "higher");
    }

    private static BenchCase Mlp()
    {
        var step = new MlpStep();
        return new("mlp_step_b128", Timing.BestOf(() => step.Step(), 100) * 1e3, "ms", "lower");
    }

    private static BenchCase LinearRegressionEpoch()
    {
        var X = Tensor.FromArray(new[] { 0f, 0.25f, 0.5f, 0.74f, 1f });
        var y = Tensor.FromArray(new[] { 0f, 0.36f, 0.54f, 0.82f, 1f });
        var a = new Variable(0f);
        var b = new Variable(0f);
        Variable[] variables = [a, b];
        var optimizer = new SGD(learningRate: 5e-4);
        void Epoch()
        {
            using var tape = new GradientTape();
            var loss = (a * X + b - y).Square().Sum();
            optimizer.ApplyGradients(tape.Gradient(loss, variables), variables);
        }
        return new("linreg_epoch", Timing.BestOf(Epoch, 1000) * 1e6, "us", "lower");
    }

    /// <summary>op(x, y) on two uniform float32 vectors of <paramref name="size"/> (memory bound); <paramref name="wait"/> ends each timed round on an asynchronous device.</summary>
    internal static BenchCase Elementwise(string name, Func<Tensor, Tensor, Tensor> op, int size = 1 << 22, Action? wait = null)
    {
        var g = new Generator(4);
        var x = Tensor.RandomUniform([size], g);
        var y = Tensor.RandomUniform([size], g);
        return new(name, Timing.BestOf(() => op(x, y), 50, wait: wait) * 1e3, "ms", "lower");
    }

    /// <summary>Softmax cross-entropy forward and backward on normal logits [rows, classes] with random labels.</summary>
    internal static BenchCase CrossEntropy(int rows = 1024, int classes = 1000, Action? wait = null)
    {
        var g = new Generator(5);
        var logits = Tensor.RandomNormal([rows, classes], g);
        var picks = new int[rows];
        for (int i = 0; i < picks.Length; i++) picks[i] = g.NextInt(classes);
        var labels = Tensor.FromArray(picks);
        void Step()
        {
            using var tape = new GradientTape();
            tape.Watch(logits);
            var loss = Tensor.SparseSoftmaxCrossEntropy(logits, labels).Mean();
            tape.Gradient(loss, logits);
        }
        return new($"xent_{rows}x{classes}", Timing.BestOf(Step, 20, wait: wait) * 1e3, "ms", "lower");
    }
}
