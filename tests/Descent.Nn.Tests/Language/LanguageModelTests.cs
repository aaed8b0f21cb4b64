using Descent.Nn.Layers;
using Descent.Nn.Models;
using Descent.Nn.Tests.Serialization;
using Descent.Nn.Language;

namespace Descent.Nn.Tests.Language;

[OnEveryDevice]
public class LanguageModelTests
{
    private static readonly CharVocabulary Letters = new("\nabcdefgh ");

    private static LanguageModel Small(long seed = 1, int context = 8) =>
        new(Gpt.Create(Letters.Size, context, layers: 2, heads: 2, width: 16, seed: seed), Letters);

    [Fact]
    public void Cached_and_uncached_generation_give_the_same_tokens()
    {
        var model = Small();
        Assert.True(model.SupportsCache);
        // 30 tokens after a 3-token prompt with a context of 8: the window fills and slides several times.
        var cached = model.Generate([1, 2, 3], 30, temperature: 1.0, seed: 5);
        var uncached = model.Generate([1, 2, 3], 30, temperature: 1.0, seed: 5, useCache: false);
        Assert.Equal(uncached, cached);
        Assert.Equal(30, cached.Length);
        Assert.All(cached, t => Assert.InRange(t, 0, Letters.Size - 1));
    }

    [Fact]
    public void The_same_seed_gives_the_same_text_and_another_seed_another()
    {
        var model = Small();
        string a = model.Generate("abc", 40, temperature: 1.2, seed: 7);
        Assert.Equal(a, model.Generate("abc", 40, temperature: 1.2, seed: 7));
        Assert.NotEqual(a, model.Generate("abc", 40, temperature: 1.2, seed: 8));
        Assert.All(a, ch => Assert.True(Letters.Contains(ch)));
    }

    [Fact]
    public void Temperature_zero_and_top_k_one_both_pick_the_likeliest_token()
    {
        var model = Small(2);
        var greedy = model.Generate([4, 5], 12, temperature: 0);
        Assert.Equal(greedy, model.Generate([4, 5], 12, temperature: 0.7, topK: 1, seed: 3));
        // The first greedy token is the argmax of the whole model's last logits.
        var logits = model.Model.Call(Tensor.FromArray(new[] { 4, 5 }, 1, 2));
        Assert.Equal(greedy[0], (int)logits[0, ^1, ..].ArgMax(-1).Item<long>());
    }

    [Fact]
    public void Top_k_samples_only_among_the_k_likeliest()
    {
        var model = Small(3);
        var logits = model.Model.Call(Tensor.FromArray(new[] { 2 }, 1, 1))[0, ^1, ..];
        var allowed = logits.TopK(3).Indices.ToArray<long>().Select(i => (int)i).ToHashSet();
        for (long seed = 0; seed < 20; seed++)
            Assert.Contains(model.Generate([2], 1, temperature: 5, topK: 3, seed: seed)[0], allowed);
    }

    [Fact]
    public void A_prompt_longer_than_the_context_is_cropped_to_its_last_context_tokens()
    {
        var model = Small(context: 4);
        Assert.Equal(model.Generate([1, 2, 3, 4], 6, seed: 2), model.Generate([8, 8, 1, 2, 3, 4], 6, seed: 2));
    }

    [Fact]
    public void It_saves_and_loads_with_its_vocabulary()
    {
        using var folder = new TempFolder();
        var model = Small(4);
        model.Save(folder.Path);
        var loaded = LanguageModel.Load(folder.Path);
        Assert.Equal(Letters.Characters, loaded.Vocabulary.Characters);
        Assert.Equal(8, loaded.Context);
        Assert.Equal(model.Generate("ab", 10, seed: 1), loaded.Generate("ab", 10, seed: 1));
    }

    [Fact]
    public void A_model_whose_layers_cannot_step_generates_without_a_cache()
    {
        // A plain embedding and dense layers: no positions to cache, so every token reruns the window.
        var model = new Sequential([new Embedding(Letters.Size, 4), new Dense(Letters.Size)], [5], seed: 1);
        var lm = new LanguageModel(model, Letters);
        Assert.False(lm.SupportsCache);
        Assert.Equal(lm.Generate([1], 8, seed: 3), lm.Generate([1], 8, seed: 3, useCache: false));
    }

    [Fact]
    public void Bad_arguments_and_folders_are_refused_with_the_reason()
    {
        var model = Small();
        Assert.Contains("the prompt is empty", Assert.Throws<ArgumentException>(() => model.Generate("", 5)).Message);
        Assert.Contains("must be positive, got 0", Assert.Throws<ArgumentException>(() => model.Generate("a", 0)).Message);
        Assert.Contains("temperature must be 0 or more", Assert.Throws<ArgumentException>(() => model.Generate("a", 3, temperature: -1)).Message);
        Assert.Contains("top-k must be positive", Assert.Throws<ArgumentException>(() => model.Generate("a", 3, topK: 0)).Message);
        Assert.Contains("the character 'z' (U+007A) at position 1", Assert.Throws<ArgumentException>(() => model.Generate("az", 3)).Message);
        Assert.Contains("prompt token 10 is outside [0, 10)", Assert.Throws<ArgumentException>(() => model.Generate([10], 3)).Message);
        Assert.Contains("not [time, 10] logits", Assert.Throws<ArgumentException>(() => new LanguageModel(Gpt.Create(7, 4, 1, 1, 4), Letters)).Message);

        using var folder = new TempFolder();
        new Sequential([new Dense(2)], [3]).Save(folder.Path);
        var e = Assert.Throws<InvalidDataException>(() => LanguageModel.Load(folder.Path));
        Assert.Contains("not a language model", e.Message);
    }

    [Fact]
    public void Each_generated_token_reads_back_one_tensor()
    {
        var model = Small(6);
        foreach (bool cache in new[] { true, false })
        {
            long before = Tensor.Downloads;
            model.Generate([1, 2], 20, topK: 4, seed: 1, useCache: cache);
            Assert.Equal(20, Tensor.Downloads - before);
        }
    }
}
