using Descent.Cli.Training;
using Descent.Nn.Language;

namespace Descent.Cli.Bench;

/// <summary>
/// One training step of nanoGPT's "baby GPT" on characters, as bench/peer.py's babygpt_step: 4 layers, 4 heads, 128
/// wide, context 64, batch 12, vocabulary 65; AdamW 1e-3 (betas 0.9/0.99, weight decay 0.1) with the gradient norm
/// clipped at 1.0, on one fixed batch of random tokens and targets. The step is <c>descent train</c>'s own
/// (<see cref="LanguageModelStep"/>) and reads nothing back.
/// </summary>
internal sealed class BabyGptStep
{
    public const string Name = "babygpt_step";

    private readonly LanguageModelStep _step;
    private readonly Tensor _tokens, _targets;

    public BabyGptStep(long seed = 0)
    {
        const int vocabulary = 65, context = 64, batch = 12;
        var model = Gpt.Create(vocabulary, context, seed: seed);
        _step = new LanguageModelStep(model, LanguageModelStep.Optimizer(1e-3));
        var g = new Generator(seed);
        var tokens = new int[batch * context];
        var targets = new int[batch * context];
        for (int i = 0; i < tokens.Length; i++) (tokens[i], targets[i]) = (g.NextInt(vocabulary), g.NextInt(vocabulary));
        _tokens = Tensor.FromArray(tokens, batch, context);
        _targets = Tensor.FromArray(targets, batch, context);
    }

    /// <summary>One step; returns the loss as a device scalar (not read).</summary>
    public Tensor Step() => _step.Run(_tokens, _targets);

    /// <summary>Milliseconds per step, as the peer measures it: the best of 3 rounds of 5 steps after warm-up.</summary>
    public static BenchCase Run()
    {
        var bench = new BabyGptStep();
        return new(Name, Timing.BestOf(() => bench.Step(), 5, rounds: 3) * 1e3, "ms", "lower");
    }
}
