using System.IO.Compression;

namespace Descent.Nn.Data;

/// <summary>
/// Small real data sets shipped inside the library, so that examples run with nothing downloaded
/// (attribution in Data/Embedded/README.md). Each call returns a fresh copy that the caller may modify.
/// </summary>
public static class EmbeddedDatasets
{
    /// <summary>The names that <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["digits", "iris"];

    /// <summary>
    /// UCI optical handwritten digits (test set): 1797 rows of 8×8 pixel counts 0..16 (columns p0..p63, row-major),
    /// labelled 0..9 with class names "0".."9".
    /// </summary>
    public static TabularData Digits()
    {
        using var gzip = new GZipStream(Open("digits.csv.gz"), CompressionMode.Decompress);
        return CsvLoader.Load(gzip, "digits", "label", targetKind: TargetKind.Classes);
    }

    /// <summary>
    /// Fisher's iris: 150 rows of sepal and petal length and width in cm; the species are the classes,
    /// in order of first appearance in the file (setosa, versicolor, virginica; 50 each).
    /// </summary>
    public static TabularData Iris()
    {
        using var stream = Open("iris.csv");
        return CsvLoader.Load(stream, "iris", "species", targetKind: TargetKind.Classes);
    }

    /// <summary>
    /// The "tiny shakespeare" text of char-rnn: 1,115,394 characters (65 distinct) of speeches from Shakespeare's plays,
    /// the usual benchmark for character-level language models. A text, not a table, so not one of <see cref="Names"/>.
    /// </summary>
    public static string TinyShakespeare()
    {
        using var gzip = new GZipStream(Open("tinyshakespeare.txt.gz"), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Loads the data set called <paramref name="name"/> (one of <see cref="Names"/>, any case).</summary>
    public static TabularData Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "digits" => Digits(),
            "iris" => Iris(),
            _ => throw new ArgumentException($"No embedded data set is called '{name}'; the known ones are {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    private static Stream Open(string file) =>
        typeof(EmbeddedDatasets).Assembly.GetManifestResourceStream("Descent.Nn.Data." + file)
        ?? throw new InvalidOperationException($"The embedded resource '{file}' is missing from {typeof(EmbeddedDatasets).Assembly.GetName().Name}.");
}
