using System.Globalization;
using Descent.Cli.Bench;

namespace Descent.Cli.Tests;

/// <summary>
/// The transformer cases of <c>descent bench --device cuda</c>, run here on the devices every machine has: the timed
/// code path with a tiny configuration (no timing is asserted), and where the model and its batch are made.
/// </summary>
// Steps run on the kernels' threads, which the bench and training tests configure, so they run apart from those.
[Collection(TrainingCollection.Name)]
public class GpuBenchTests
{
    // Small enough for the reference device's scalar loops; dropout on, as in nanoGPT's shakespeare-char configuration.
    private static readonly GptStepConfig Tiny = new("tiny_gpt_step", Layers: 1, Heads: 2, Width: 8, Context: 4, Batch: 2, Vocabulary: 5,
        Dropout: 0.2, Reps: 2, Rounds: 2);

    [Fact]
    public void An_unknown_case_names_the_transformer_cases_among_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => GpuBench.Run("gpt_step", Device.Cpu));
        Assert.Contains($"{GptStepConfig.BabyGpt.Name}, {GptStepConfig.NanoGptShakespeareChar.Name}", error.Message);
        Assert.Equal(FitDigits.Name, GpuBench.Names[^1]);
    }

    [Fact]
    public void A_gpt_step_makes_its_model_and_batch_on_the_device_it_is_given()
    {
        var step = new BabyGptStep(Tiny, device: Device.Reference);
        var loss = step.Step();
        Assert.Equal(Device.Reference, loss.Device);
        float first = loss.Item<float>();
        Assert.True(float.IsFinite(first) && first > 0, first.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_nanogpt_configuration_builds_and_starts_at_the_loss_of_a_uniform_guess()
    {
        // One window instead of 64 keeps this to a second on the CPU; every other size is the GPU case's.
        var step = new BabyGptStep(GptStepConfig.NanoGptShakespeareChar with { Batch = 1 }, device: Device.Cpu);
        float loss = step.Step().Item<float>();
        // Weights start as N(0, 0.02), so the first logits are nearly equal: about ln 65.
        Assert.InRange(loss, Math.Log(65) - 0.3, Math.Log(65) + 0.3);
    }

    [Fact]
    public void A_gpt_case_is_timed_with_the_waits_the_gpu_gets()
    {
        int waits = 0;
        var result = BabyGptStep.Run(Tiny, Device.Cpu, () => waits++);
        Assert.Equal(("tiny_gpt_step", "ms", "lower"), (result.Name, result.Unit, result.Better));
        Assert.True(result.Value > 0, result.Value.ToString(CultureInfo.InvariantCulture));
        // Once after the warm-up and once at the end of each round, inside the timed span.
        Assert.Equal(1 + Tiny.Rounds, waits);
    }
}
