using Descent.Cli.Commands;
using Descent.Cli.Training;

namespace Descent.Cli.Bench;

/// <summary>
/// The cases <c>descent bench --device cuda</c> runs (issue 9), named and measured as bench/gpu/peer_cuda.py measures
/// PyTorch on the same card: the data is made on the device, each round ends with the device's Synchronize inside the
/// timed span, and float32 matrix products run without TF32 (PyTorch's default too).
/// </summary>
internal static class GpuBench
{
    // The transformer steps of issue 9's table; their sizes, and how they are timed, are the configs'.
    private static readonly GptStepConfig[] Gpts = [GptStepConfig.BabyGpt, GptStepConfig.NanoGptShakespeareChar];

    // The longest case last, so a run cut short by a time limit loses the least.
    public static readonly string[] Names =
        ["sgemm_4096", "add_64m", "exp_64m", "sum_64m", "xent_4096x32000", "fit_step_b128", "fit_step_b4096", .. Gpts.Select(c => c.Name), FitDigits.Name];

    public static BenchCase Run(string name, Device device)
    {
        using var scope = Device.Use(device);
        Action wait = device.Backend.Synchronize;
        if (Array.Find(Gpts, c => c.Name == name) is { } gpt) return BabyGptStep.Run(gpt, device, wait);
        return name switch
        {
            "sgemm_4096" => Sgemm(4096, wait),
            "add_64m" => BenchSuite.Elementwise(name, (x, y) => x + y, 1 << 26, wait),
            "exp_64m" => BenchSuite.Elementwise(name, (x, _) => x.Exp(), 1 << 26, wait),
            "sum_64m" => BenchSuite.Elementwise(name, (x, _) => x.Sum(), 1 << 26, wait),
            "xent_4096x32000" => BenchSuite.CrossEntropy(4096, 32000, wait),
            "fit_step_b128" => Step(name, 128, device, wait),
            "fit_step_b4096" => Step(name, 4096, device, wait),
            FitDigits.Name => Digits(),
            _ => throw new ArgumentException($"bench: unknown case '{name}' for a GPU; known cases: {string.Join(", ", Names)}."),
        };
    }

    private static BenchCase Sgemm(int n, Action wait)
    {
        var g = new Generator(n);
        var a = Tensor.RandomUniform([n, n], g);
        var b = Tensor.RandomUniform([n, n], g);
        double s = Timing.BestOf(() => Tensor.MatMul(a, b), 20, wait: wait);
        return new($"sgemm_{n}", 2.0 * n * n * n / s / 1e12, "TFLOP/s", "higher");
    }

    private static BenchCase Step(string name, int batch, Device device, Action wait)
    {
        var step = new FitStep(device: device, batch: batch);
        return new(name, Timing.BestOf(step.StepWithoutReading, 100, wait: wait) * 1e3, "ms", "lower");
    }

    /// <summary>descent train's default run on the ambient device; it reads its logs every epoch, as the peer's loop does.</summary>
    private static BenchCase Digits()
    {
        var settings = TrainCommand.Check("digits", null, ModelSpec.DefaultText, TrainSettings.DefaultEpochs, TrainSettings.DefaultBatchSize,
            "adam", null, TrainSettings.DefaultSeed, null, null);
        return new(FitDigits.Name, Timing.BestOf(() => Trainer.Run(settings, TextWriter.Null, verbose: 0), 1, rounds: 2), "s", "lower");
    }
}
