using Descent.Nn.Data;
using Descent.Nn.Layers;
using Descent.Nn.Models;
using Descent.Nn.Tests.Serialization;
using Descent.Nn.Language;

namespace Descent.Nn.Tests.Language;

public class CharVocabularyTests
{
    [Fact]
    public void The_vocabulary_of_a_text_is_its_distinct_characters_in_code_order()
    {
        var vocabulary = CharVocabulary.FromText("hello, world\n");
        Assert.Equal("\n ,dehlorw", vocabulary.Characters);
        Assert.Equal(10, vocabulary.Size);
        Assert.Equal([5, 4, 6, 6, 7], vocabulary.Encode("hello"));
        Assert.Equal("world", vocabulary.Decode(vocabulary.Encode("world")));
        Assert.True(vocabulary.Contains(','));
        Assert.False(vocabulary.Contains('!'));
    }

    [Fact]
    public void Tiny_shakespeare_has_the_65_characters_nanogpt_reports()
    {
        string text = EmbeddedDatasets.TinyShakespeare();
        Assert.Equal(1_115_394, text.Length);
        Assert.StartsWith("First Citizen:\nBefore we proceed any further, hear me speak.", text);
        var vocabulary = CharVocabulary.FromText(text);
        Assert.Equal(65, vocabulary.Size);
        Assert.Equal("\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", vocabulary.Characters);
    }

    [Fact]
    public void Unknown_characters_and_tokens_are_named_with_their_position()
    {
        var vocabulary = new CharVocabulary("abc");
        var e = Assert.Throws<ArgumentException>(() => vocabulary.Encode("cab!"));
        Assert.Contains("the character '!' (U+0021) at position 3 is not in the vocabulary of 3 characters", e.Message);
        e = Assert.Throws<ArgumentException>(() => vocabulary.Encode("a\tb"));
        Assert.Contains("the character U+0009 at position 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => vocabulary.Decode([0, 3]));
        Assert.Contains("token 3 at position 1 is outside [0, 3)", e.Message);
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => new CharVocabulary("aba")).Message);
        Assert.Contains("needs at least one character", Assert.Throws<ArgumentException>(() => new CharVocabulary("")).Message);
    }

    [Fact]
    public void It_is_saved_with_the_model()
    {
        using var folder = new TempFolder();
        var model = new Sequential([new Dense(2)], [3]);
        var vocabulary = new CharVocabulary("\n\"é xyz");
        vocabulary.SaveTo(model);
        model.Save(folder.Path);
        var loaded = CharVocabulary.ReadFrom(Model.Load(folder.Path));
        Assert.Equal(vocabulary.Characters, loaded!.Characters);
        Assert.Null(CharVocabulary.ReadFrom(new Sequential([new Dense(2)], [3])));
    }
}
