using Descent.Nn.Layers;
using Descent.Nn.Models;

namespace Descent.Nn.Language;

/// <summary>
/// A character language model: a <see cref="Sequential"/> that maps token ids [batch, time] to next-token logits
/// [batch, time, vocabulary] (a <see cref="Gpt"/>, for example), with its <see cref="CharVocabulary"/>. It generates text
/// and saves and loads with its vocabulary.
/// </summary>
public sealed class LanguageModel
{
    private readonly TokenAndPositionEmbedding? _embedding;
    private readonly AttentionCache[] _caches;

    /// <summary>Pairs a built model with its vocabulary; throws ArgumentException when they do not fit together.</summary>
    public LanguageModel(Sequential model, CharVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (model.InputShape is not { Length: 1 } input)
            throw new ArgumentException($"LanguageModel: model '{model.Name}' must be built for token ids [batch, time], got input shape {Describe(model.InputShape)}.");
        var output = model.OutputShapeBefore(model.Layers.Count);
        if (output.Length != 2 || output[1] != vocabulary.Size)
            throw new ArgumentException($"LanguageModel: model '{model.Name}' gives outputs {Describe(output)} per sequence, not [time, {vocabulary.Size}] logits for the {vocabulary.Size} tokens of its vocabulary.");
        Model = model;
        Vocabulary = vocabulary;
        Context = input[0];
        _embedding = model.Layers[0] as TokenAndPositionEmbedding;
        SupportsCache = _embedding is not null && model.Layers.Skip(1).All(StepsAlone);
        _caches = model.Layers.OfType<TransformerDecoder>().Select(_ => new AttentionCache()).ToArray();
    }

    /// <summary>The network.</summary>
    public Sequential Model { get; }

    /// <summary>Its tokens.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>The longest sequence the model reads at once: its input length.</summary>
    public int Context { get; }

    /// <summary>
    /// Whether generation can keep each block's keys and values (a token and position embedding, then only causal
    /// <see cref="TransformerDecoder"/> blocks and layers that work on each position alone). Other models generate by
    /// running the whole window for every token.
    /// </summary>
    public bool SupportsCache { get; }

    /// <summary>Saves the model with its vocabulary (in model.json's metadata) to <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Vocabulary.SaveTo(Model);
        Model.Save(directory);
    }

    /// <summary>
    /// Loads a model saved by <see cref="Save"/>. Throws <see cref="InvalidDataException"/> naming the folder when it holds
    /// no vocabulary or a model that does not map token ids to logits over it.
    /// </summary>
    public static LanguageModel Load(string directory)
    {
        var model = Models.Model.Load(directory);
        var vocabulary = CharVocabulary.ReadFrom(model)
            ?? throw new InvalidDataException($"'{directory}': not a language model (its model.json has no \"{CharVocabulary.MetadataKey}\" in the metadata).");
        if (model is not Sequential sequential)
            throw new InvalidDataException($"'{directory}': not a language model (a {model.GetType().Name}, not a Sequential).");
        try
        {
            return new LanguageModel(sequential, vocabulary);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{directory}': not a language model: {e.Message}", e);
        }
    }

    /// <summary>
    /// Continues <paramref name="prompt"/> by <paramref name="maxNewTokens"/> characters and returns them (without the
    /// prompt). See <see cref="Generate(IReadOnlyList{int}, int, double, Nullable{int}, long, bool)"/>; a prompt character outside
    /// the vocabulary is an ArgumentException naming it.
    /// </summary>
    public string Generate(string prompt, int maxNewTokens, double temperature = 1.0, int? topK = null, long seed = 0, bool useCache = true)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return Vocabulary.Decode(Generate(Vocabulary.Encode(prompt), maxNewTokens, temperature, topK, seed, useCache));
    }

    /// <summary>
    /// Samples <paramref name="maxNewTokens"/> tokens after <paramref name="prompt"/>, one at a time, each from the softmax
    /// of the model's last logits divided by <paramref name="temperature"/> (0 picks the most likely token), kept to the
    /// <paramref name="topK"/> most likely when given; draws come from a generator seeded with <paramref name="seed"/>,
    /// so a seed fixes the text. A prompt longer than <see cref="Context"/> is cropped to its last Context tokens. When the
    /// window fills, its older half is dropped and the rest read again in one pass. With <paramref name="useCache"/> (and
    /// <see cref="SupportsCache"/>) each new token costs one position's work; without, the model runs over the whole window
    /// for every token; both give the same tokens.
    /// </summary>
    public int[] Generate(IReadOnlyList<int> prompt, int maxNewTokens, double temperature = 1.0, int? topK = null, long seed = 0, bool useCache = true)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Count == 0) throw new ArgumentException("LanguageModel.Generate: the prompt is empty; give at least one token.");
        if (maxNewTokens <= 0) throw new ArgumentException($"LanguageModel.Generate: the number of tokens to generate must be positive, got {maxNewTokens}.");
        if (!(temperature >= 0 && double.IsFinite(temperature))) throw new ArgumentException($"LanguageModel.Generate: the temperature must be 0 or more, got {temperature}.");
        if (topK is <= 0) throw new ArgumentException($"LanguageModel.Generate: top-k must be positive, got {topK}.");
        foreach (int t in prompt)
            if (t < 0 || t >= Vocabulary.Size) throw new ArgumentException($"LanguageModel.Generate: prompt token {t} is outside [0, {Vocabulary.Size}).");

        bool cached = useCache && SupportsCache;
        var generator = new Generator(seed);
        var tokens = prompt.Skip(Math.Max(0, prompt.Count - Context)).ToList();
        int start = 0; // the window is tokens[start..]
        var generated = new int[maxNewTokens];
        var logits = cached ? Prefill(tokens) : Full(tokens);
        for (int n = 0; n < maxNewTokens; n++)
        {
            int next = Sample(logits, temperature, topK, generator);
            generated[n] = next;
            tokens.Add(next);
            if (n == maxNewTokens - 1) break;
            if (tokens.Count - start > Context)
            {
                start = tokens.Count - Math.Max(1, Context / 2);
                logits = cached ? Prefill(Window(tokens, start)) : Full(Window(tokens, start));
            }
            else logits = cached ? Step(next, tokens.Count - 1 - start) : Full(Window(tokens, start));
        }
        return generated;
    }

    private static List<int> Window(List<int> tokens, int start) => tokens.GetRange(start, tokens.Count - start);

    // A layer that maps each position on its own can run on the newest position alone.
    private static bool StepsAlone(Layer layer) => layer switch
    {
        TransformerDecoder d => !d.HasCrossAttention,
        Dense or Dropout or Activation => true,
        LayerNormalization n => n.Axis is -1 or 2,
        _ => false,
    };

    // Logits [1, vocabulary] after the last of tokens, from the whole sequence.
    private Tensor Full(IReadOnlyList<int> tokens)
    {
        var logits = Model.Call(Ids(tokens));
        return logits[.., ^1, ..];
    }

    // The same, and the caches hold the sequence afterwards.
    private Tensor Prefill(IReadOnlyList<int> tokens)
    {
        foreach (var cache in _caches) cache.Clear();
        return Run(Ids(tokens), 0)[.., ^1, ..];
    }

    // Logits after one more token at window position `position`, the earlier ones coming from the caches.
    private Tensor Step(int token, int position) => Run(Ids([token]), position)[.., ^1, ..];

    private Tensor Run(Tensor ids, int position)
    {
        var x = _embedding!.Call(ids, position);
        int block = 0;
        foreach (var layer in Model.Layers.Skip(1))
            x = layer is TransformerDecoder decoder ? decoder.CallWithCache(x, _caches[block++]) : layer.Call(x);
        return x;
    }

    private Tensor Ids(IReadOnlyList<int> tokens) => Tensor.FromArray(tokens.ToArray(), [1, tokens.Count], Model.Device);

    private int Sample(Tensor logits, double temperature, int? topK, Generator generator)
    {
        if (temperature == 0) return (int)logits.ArgMax(-1).Item<long>();
        var scaled = logits / temperature;
        if (topK is int k && k < Vocabulary.Size)
        {
            // Keep the k largest: everything below the k-th value becomes -∞.
            var kth = scaled.TopK(k).Values[.., (k - 1)..k];
            scaled = Tensor.Where(Tensor.Less(scaled, kth), Tensor.Scalar(double.NegativeInfinity, scaled.DType, scaled.Device), scaled);
        }
        var p = scaled.Softmax(-1).ToArray<double>();
        double total = 0;
        foreach (double v in p) total += v;
        double u = generator.NextDouble() * total, sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            sum += p[i];
            if (u < sum) return i;
        }
        // Rounding left u at the very top: the last token with any probability.
        return Array.FindLastIndex(p, v => v > 0);
    }

    private static string Describe(int[]? shape) => shape is null ? "(none)" : $"[{string.Join(", ", shape)}]";
}
