using Descent.Nn.Layers;
using Descent.Nn.Models;

namespace Descent.Nn.Language;

/// <summary>
/// Karpathy's char-rnn as a <see cref="Sequential"/>: an embedding of each character, stacked <see cref="LSTM"/> layers
/// that return every step, and a linear head to one logit per token of the vocabulary. It maps token ids [batch, time]
/// to logits [batch, time, vocabularySize], as a <see cref="Gpt"/> does, so the same training step and
/// <see cref="LanguageModel"/> serve it (generation reruns the window for every token: its layers keep no cache).
/// </summary>
public static class CharRnn
{
    /// <summary>
    /// <paramref name="layers"/> LSTM layers of <paramref name="width"/> units over an embedding of that width, for
    /// sequences of <paramref name="context"/> tokens; char-rnn's default is 2 layers of 128. Dropout, when above 0, is
    /// the LSTMs' input dropout.
    /// </summary>
    public static Sequential Create(int vocabularySize, int context = 64, int layers = 2, int width = 128, double dropout = 0,
        long seed = 0, string name = "char_rnn", DType dtype = DType.Float32)
    {
        if (vocabularySize <= 0 || context <= 0 || layers <= 0 || width <= 0)
            throw new ArgumentException($"CharRnn.Create: the vocabulary size, context, layers and width must be positive, got {vocabularySize}, {context}, {layers} and {width}.");
        var stack = new List<Layer> { new Embedding(vocabularySize, width, name: "embedding") };
        for (int i = 0; i < layers; i++)
            stack.Add(new LSTM(width, dropout: dropout, seed: seed + i, returnSequences: true, name: $"lstm_{i + 1}"));
        stack.Add(new Dense(vocabularySize, name: "head"));
        foreach (var layer in stack) layer.DType = dtype;
        var model = new Sequential(stack, seed: seed, name: name);
        model.Build([context]);
        return model;
    }
}
