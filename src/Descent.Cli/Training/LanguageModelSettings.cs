using System.Globalization;

namespace Descent.Cli.Training;

/// <summary>
/// What <c>descent train --dataset shakespeare</c> was asked to do, checked. The defaults are nanoGPT's "baby GPT" CPU
/// configuration (config/train_shakespeare_char.py, scaled down as its README suggests for a CPU): 4 layers, 4 heads,
/// 128 wide, context 64, batch 12, dropout 0, 2000 steps of AdamW.
/// </summary>
internal sealed record LanguageModelSettings(string Model, int Steps, int Layers, int Heads, int Width, int Context, int BatchSize,
    double LearningRate, long Seed, double Dropout)
{
    public const string Dataset = "shakespeare";
    public const int DefaultSteps = 2000;
    public const int DefaultLayers = 4;
    public const int DefaultLstmLayers = 2; // char-rnn's
    public const int DefaultHeads = 4;
    public const int DefaultWidth = 128;
    public const int DefaultContext = 64;
    public const int DefaultBatchSize = 12;
    public const double DefaultLearningRate = 1e-3;
    public const double DefaultDropout = 0;

    /// <summary>The cosine schedule ends at a tenth of the peak rate (nanoGPT's min_lr 1e-4 for 1e-3).</summary>
    public const double FinalRateFraction = 0.1;

    /// <summary>AdamW's betas and weight decay, and the gradient clipping norm, as nanoGPT's shakespeare_char run.</summary>
    public const double Beta1 = 0.9, Beta2 = 0.99, WeightDecay = 0.1, ClipNorm = 1.0;

    /// <summary>The validation loss is measured every this many steps (and after the last).</summary>
    public const int EvalInterval = 250;

    /// <summary>Random validation batches averaged at each of those points; the final losses average <see cref="FinalEvalBatches"/>.</summary>
    public const int EvalBatches = 20;

    /// <summary>Random batches averaged for the final train_loss and val_loss.</summary>
    public const int FinalEvalBatches = 50;

    /// <summary>The end-of-run sample: 300 characters after a newline, at temperature 0.8 from the 40 likeliest.</summary>
    public const int SampleLength = 300;
    public const double SampleTemperature = 0.8;
    public const int SampleTopK = 40;

    public static readonly string[] Models = ["gpt", "lstm"];

    /// <summary>nanoGPT's 100 warm-up steps, or a tenth of a run shorter than 1000 steps.</summary>
    public int WarmupSteps => Math.Min(100, Steps / 10);

    /// <summary>Checks every option; a bad one is an ArgumentException, so one line and exit 2.</summary>
    public static LanguageModelSettings Check(string model, int steps, int layers, int heads, int width, int context, int batchSize,
        double learningRate, long seed, double dropout)
    {
        model = model.Trim().ToLowerInvariant();
        if (!Models.Contains(model))
            throw new ArgumentException($"--model '{model}': --dataset {Dataset} trains a language model; use gpt (a transformer) or lstm (a char-rnn).");
        Range("--steps", steps, 1, 1_000_000);
        Range("--layers", layers, 1, 64);
        Range("--heads", heads, 1, 64);
        Range("--width", width, 1, 8192);
        Range("--context", context, 1, 8192);
        Range("--batch-size", batchSize, 1, 100_000);
        if (model == "gpt" && width % heads != 0)
            throw new ArgumentException($"--width {width} must be a multiple of --heads {heads}, so every head gets width / heads features.");
        if (!(learningRate > 0 && double.IsFinite(learningRate)))
            throw new ArgumentException($"--lr must be a positive number, got {learningRate.ToString(CultureInfo.InvariantCulture)}.");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentException($"--dropout must be at least 0 and below 1, got {dropout.ToString(CultureInfo.InvariantCulture)}.");
        return new LanguageModelSettings(model, steps, layers, heads, width, context, batchSize, learningRate, seed, dropout);
    }

    private static void Range(string option, int value, int min, int max)
    {
        if (value < min || value > max) throw new ArgumentException($"{option} must be between {min} and {max}, got {value}.");
    }
}
