using Descent.Cli.Training;
using Descent.Nn.Language;

namespace Descent.Cli.Bench;

/// <summary>
/// One training step of a GPT on characters with the sizes of a <see cref="GptStepConfig"/> (nanoGPT's "baby GPT" by
/// default, as bench/peer.py's babygpt_step), on one fixed batch of random tokens and targets. The step is
/// <c>descent train</c>'s own (<see cref="LanguageModelStep"/>) and reads nothing back.
/// </summary>
internal sealed class BabyGptStep
{
    public const string Name = "babygpt_step";

    private readonly LanguageModelStep _step;
    private readonly Tensor _tokens, _targets;

    public BabyGptStep(long seed = 0) : this(GptStepConfig.BabyGpt, seed) { }

    /// <summary>The model, its optimizer and its batch, on <paramref name="device"/> (the default device when null).</summary>
    public BabyGptStep(GptStepConfig config, long seed = 0, Device? device = null)
    {
        using var scope = Device.Use(device ?? Device.Default);
        var model = Gpt.Create(config.Vocabulary, config.Context, config.Layers, config.Heads, config.Width, config.Dropout, seed);
        _step = new LanguageModelStep(model, LanguageModelStep.Optimizer(1e-3));
        var g = new Generator(seed);
        var tokens = new int[config.Batch * config.Context];
        var targets = new int[tokens.Length];
        for (int i = 0; i < tokens.Length; i++) (tokens[i], targets[i]) = (g.NextInt(config.Vocabulary), g.NextInt(config.Vocabulary));
        _tokens = Tensor.FromArray(tokens, config.Batch, config.Context);
        _targets = Tensor.FromArray(targets, config.Batch, config.Context);
    }

    /// <summary>One step; returns the loss as a device scalar (not read).</summary>
    public Tensor Step() => _step.Run(_tokens, _targets);

    /// <summary>The CPU case: milliseconds per step of the baby GPT, as bench/peer.py measures it.</summary>
    public static BenchCase Run() => Run(GptStepConfig.BabyGpt, Device.Default);

    /// <summary>
    /// Milliseconds per step on <paramref name="device"/>, as the peers measure it: the best of the config's rounds of
    /// its reps steps after warm-up, each round ended by <paramref name="wait"/> on an asynchronous device.
    /// </summary>
    public static BenchCase Run(GptStepConfig config, Device device, Action? wait = null)
    {
        var bench = new BabyGptStep(config, device: device);
        return new(config.Name, Timing.BestOf(() => bench.Step(), config.Reps, config.Rounds, wait) * 1e3, "ms", "lower");
    }
}
