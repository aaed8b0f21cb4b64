namespace Descent.Nn.Language;

/// <summary>
/// Random context windows from one long token array, nanoGPT's get_batch: a batch is <c>batchSize</c> windows of
/// <see cref="Context"/> tokens starting at uniformly random places, the inputs x, and the same windows shifted one token
/// on, the targets y (the next token at every position). <see cref="Split"/> cuts the array by position, the first part
/// for training and the rest for validation, so no window of one overlaps the other.
/// </summary>
public sealed class ContextWindows
{
    private readonly int[] _tokens;

    /// <summary>Windows of <paramref name="context"/> tokens over <paramref name="tokens"/>, which must hold more than that.</summary>
    public ContextWindows(int[] tokens, int context)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (context <= 0) throw new ArgumentException($"ContextWindows: the context must be positive, got {context}.");
        if (tokens.Length <= context)
            throw new ArgumentException($"ContextWindows: {tokens.Length} tokens are too few for windows of {context} and the token after them; need at least {context + 1}.");
        _tokens = tokens;
        Context = context;
    }

    /// <summary>Tokens per window.</summary>
    public int Context { get; }

    /// <summary>The number of tokens the windows are drawn from.</summary>
    public int Length => _tokens.Length;

    /// <summary>The number of distinct windows: every start from 0 to Length − Context − 1.</summary>
    public int Starts => _tokens.Length - Context;

    /// <summary>
    /// Cuts the tokens at ⌊<paramref name="trainFraction"/> · Length⌋: windows over the first part train, over the rest
    /// validate (nanoGPT's 90/10 split by position). Throws ArgumentException when a part is too short for one window.
    /// </summary>
    public (ContextWindows Train, ContextWindows Validation) Split(double trainFraction = 0.9)
    {
        if (!(trainFraction > 0 && trainFraction < 1))
            throw new ArgumentException($"ContextWindows.Split: the training fraction must be between 0 and 1, got {trainFraction}.");
        int cut = (int)(_tokens.Length * trainFraction);
        return (new ContextWindows(_tokens[..cut], Context), new ContextWindows(_tokens[cut..], Context));
    }

    /// <summary>
    /// <paramref name="batchSize"/> windows at starts drawn from <paramref name="generator"/>: x and y, int32
    /// [batchSize, Context], y[b, t] = x[b, t + 1] within the token array.
    /// </summary>
    public (Tensor X, Tensor Y) Sample(int batchSize, Generator generator, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (batchSize <= 0) throw new ArgumentException($"ContextWindows.Sample: the batch size must be positive, got {batchSize}.");
        var x = new int[batchSize * Context];
        var y = new int[batchSize * Context];
        for (int b = 0; b < batchSize; b++)
        {
            int start = generator.NextInt(Starts);
            _tokens.AsSpan(start, Context).CopyTo(x.AsSpan(b * Context));
            _tokens.AsSpan(start + 1, Context).CopyTo(y.AsSpan(b * Context));
        }
        return (Tensor.FromArray(x, [batchSize, Context], device), Tensor.FromArray(y, [batchSize, Context], device));
    }
}
