using System.Text.Json;

namespace Descent.Nn.Language;

/// <summary>
/// A character-level vocabulary, as nanoGPT's: the distinct characters of a text in ordinal order, character i being
/// token i. Characters are .NET chars (UTF-16 code units), so a character outside the Basic Multilingual Plane is two
/// tokens. <see cref="SaveTo"/> and <see cref="ReadFrom"/> keep it in a model's metadata, so it is saved with the model.
/// </summary>
public sealed class CharVocabulary
{
    /// <summary>The key under which <see cref="SaveTo"/> stores the characters in <see cref="Models.Model.Metadata"/>.</summary>
    public const string MetadataKey = "vocabulary";

    private readonly string _characters;
    private readonly Dictionary<char, int> _ids;

    /// <summary>A vocabulary of exactly these characters, in this order; throws ArgumentException for an empty or repeating list.</summary>
    public CharVocabulary(string characters)
    {
        ArgumentNullException.ThrowIfNull(characters);
        if (characters.Length == 0) throw new ArgumentException("CharVocabulary: needs at least one character.");
        _ids = new Dictionary<char, int>(characters.Length);
        for (int i = 0; i < characters.Length; i++)
            if (!_ids.TryAdd(characters[i], i))
                throw new ArgumentException($"CharVocabulary: the character {Describe(characters[i])} appears twice (at {_ids[characters[i]]} and {i}).");
        _characters = characters;
    }

    /// <summary>The vocabulary of <paramref name="text"/>: its distinct characters, sorted by code.</summary>
    public static CharVocabulary FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var distinct = text.Distinct().Order().ToArray();
        return new CharVocabulary(new string(distinct));
    }

    /// <summary>The characters, token 0 first.</summary>
    public string Characters => _characters;

    /// <summary>The number of tokens.</summary>
    public int Size => _characters.Length;

    /// <summary>Whether <paramref name="c"/> has a token.</summary>
    public bool Contains(char c) => _ids.ContainsKey(c);

    /// <summary>The token of each character; throws ArgumentException naming the first character that has none and where it is.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
            tokens[i] = _ids.TryGetValue(text[i], out int id) ? id
                : throw new ArgumentException($"CharVocabulary: the character {Describe(text[i])} at position {i} is not in the vocabulary of {Size} characters.");
        return tokens;
    }

    /// <summary>The text of <paramref name="tokens"/>; throws ArgumentException for a token outside [0, Size).</summary>
    public string Decode(IReadOnlyList<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var chars = new char[tokens.Count];
        for (int i = 0; i < chars.Length; i++)
            chars[i] = tokens[i] >= 0 && tokens[i] < Size ? _characters[tokens[i]]
                : throw new ArgumentException($"CharVocabulary: token {tokens[i]} at position {i} is outside [0, {Size}).");
        return new string(chars);
    }

    /// <summary>Stores the characters in <paramref name="model"/>'s metadata, which <c>Save</c> writes to model.json.</summary>
    public void SaveTo(Models.Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Metadata[MetadataKey] = _characters;
    }

    /// <summary>The vocabulary in <paramref name="model"/>'s metadata (after <c>Model.Load</c>, a JSON string), or null when it has none.</summary>
    public static CharVocabulary? ReadFrom(Models.Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.Metadata.TryGetValue(MetadataKey, out var value)) return null;
        string? characters = value switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => throw new InvalidDataException($"CharVocabulary: the model's metadata \"{MetadataKey}\" is not a string of characters."),
        };
        try
        {
            return new CharVocabulary(characters!);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The model's metadata \"{MetadataKey}\" is not a vocabulary: {e.Message}", e);
        }
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
