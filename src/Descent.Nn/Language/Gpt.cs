using Descent.Nn.Initializers;
using Descent.Nn.Layers;
using Descent.Nn.Models;

namespace Descent.Nn.Language;

/// <summary>
/// nanoGPT's model as a <see cref="Sequential"/> of library layers: token and position embeddings, pre-norm
/// <see cref="TransformerDecoder"/> blocks (causal self-attention and a 4× GELU feedforward part), a final layer
/// normalization and a linear head to one logit per token of the vocabulary. Kernels and embeddings start as
/// N(0, 0.02), biases at zero, as in nanoGPT; layer normalizations use PyTorch's epsilon 1e-5. Being a Sequential, it
/// saves and loads with <see cref="Model.Save"/> and <see cref="Model.Load"/>.
/// </summary>
public static class Gpt
{
    /// <summary>
    /// A GPT for <paramref name="vocabularySize"/> tokens and sequences of up to <paramref name="context"/> tokens, with
    /// <paramref name="layers"/> blocks of <paramref name="heads"/> heads, <paramref name="width"/> wide; nanoGPT's "baby
    /// GPT" by default. It maps token ids [batch, time ≤ context] to logits [batch, time, vocabularySize]; its weights have
    /// <paramref name="dtype"/>.
    /// </summary>
    public static Sequential Create(int vocabularySize, int context = 64, int layers = 4, int heads = 4, int width = 128,
        double dropout = 0, long seed = 0, string name = "gpt", DType dtype = DType.Float32)
    {
        if (vocabularySize <= 0 || context <= 0 || layers <= 0 || heads <= 0 || width <= 0)
            throw new ArgumentException($"Gpt.Create: the vocabulary size, context, layers, heads and width must be positive, got {vocabularySize}, {context}, {layers}, {heads} and {width}.");
        if (width % heads != 0)
            throw new ArgumentException($"Gpt.Create: the width {width} must be a multiple of the number of heads {heads}.");
        var normal = new RandomNormal(0, 0.02);
        var stack = new List<Layer> { new TokenAndPositionEmbedding(vocabularySize, context, width, normal, name: "embedding") };
        if (dropout > 0) stack.Add(new Dropout(dropout, name: "embedding_dropout"));
        for (int i = 0; i < layers; i++)
            stack.Add(new TransformerDecoder(4 * width, heads, dropout, "gelu", 1e-5, normal, normalizeFirst: true, name: $"block_{i + 1}"));
        stack.Add(new LayerNormalization(epsilon: 1e-5, name: "final_norm"));
        stack.Add(new Dense(vocabularySize, kernelInitializer: normal, name: "head"));
        foreach (var layer in stack) layer.DType = dtype;
        var model = new Sequential(stack, seed: seed, name: name);
        model.Build([context]);
        return model;
    }
}
