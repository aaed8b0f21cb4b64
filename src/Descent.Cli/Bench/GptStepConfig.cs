namespace Descent.Cli.Bench;

/// <summary>
/// The sizes of one GPT training-step case and how it is timed. Both cases train with nanoGPT's optimizer (AdamW 1e-3,
/// betas 0.9/0.99, weight decay 0.1, gradient norm clipped at 1.0: <see cref="Training.LanguageModelStep.Optimizer"/>)
/// on one fixed batch of random tokens and targets, and the PyTorch peers (bench/peer.py, bench/gpu/peer_cuda.py) run
/// bench/babygpt.py's model with the same sizes.
/// </summary>
internal sealed record GptStepConfig(string Name, int Layers, int Heads, int Width, int Context, int Batch, int Vocabulary = 65,
    double Dropout = 0, int Reps = 5, int Rounds = 3)
{
    /// <summary>nanoGPT's "baby GPT" CPU configuration on characters: 4 layers, 4 heads, 128 wide, context 64, batch 12, no dropout.</summary>
    public static readonly GptStepConfig BabyGpt = new(BabyGptStep.Name, Layers: 4, Heads: 4, Width: 128, Context: 64, Batch: 12);

    /// <summary>
    /// nanoGPT's config/train_shakespeare_char.py: 6 layers, 6 heads, 384 wide, context 256, batch 64, with its dropout
    /// of 0.2. Descent's <see cref="Nn.Language.Gpt"/> drops where nanoGPT does (after the embeddings, on the attention
    /// weights, after each block's attention and feedforward parts), so the step keeps that dropout on both sides rather
    /// than timing a configuration nanoGPT does not train with.
    /// </summary>
    public static readonly GptStepConfig NanoGptShakespeareChar =
        new("nanogpt_shakespeare_char_step", Layers: 6, Heads: 6, Width: 384, Context: 256, Batch: 64, Dropout: 0.2);
}
