using Descent.Nn.Language;
using Descent.Nn.Tests.Serialization;

namespace Descent.Nn.Tests.Language;

[OnEveryDevice]
public class CharRnnTests
{
    [Fact]
    public void It_maps_ids_to_logits_saves_loads_and_generates()
    {
        var model = CharRnn.Create(7, context: 6, layers: 2, width: 5, seed: 1);
        Assert.Equal(["embedding", "lstm_1", "lstm_2", "head"], model.Layers.Select(l => l.Name));
        Assert.Equal([1, 4, 7], model.Call(Tensor.FromArray(new[] { 1, 6, 0, 3 }, 1, 4)).Shape);
        var lm = new LanguageModel(model, new CharVocabulary("abcdefg"));
        Assert.False(lm.SupportsCache);
        using var folder = new TempFolder();
        lm.Save(folder.Path);
        var loaded = LanguageModel.Load(folder.Path);
        Assert.Equal(lm.Generate("abc", 10, seed: 2), loaded.Generate("abc", 10, seed: 2));
        Assert.Contains("must be positive", Assert.Throws<ArgumentException>(() => CharRnn.Create(7, layers: 0)).Message);
    }
}
