using System.Text.RegularExpressions;

namespace Descent.Nn.Tests.Readme;

/// <summary>README's C# blocks must be the code in ReadmeSamples.cs, which compiles with the suite and runs here.</summary>
[OnEveryDevice]
public partial class ReadmeSamplesTests
{
    private static string RepoFile(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Descent.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine([dir!.FullName, .. parts]);
    }

    // Compare code with indentation and blank lines removed: README shows the blocks unindented.
    private static string Normalize(string code) =>
        string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [Fact]
    public void Every_csharp_block_in_readme_is_a_compiled_sample()
    {
        string readme = File.ReadAllText(RepoFile("README.md"));
        string source = File.ReadAllText(RepoFile("tests", "Descent.Nn.Tests", "Readme", "ReadmeSamples.cs"));
        var samples = SampleRegex().Matches(source).Select(m => Normalize(m.Groups[1].Value)).ToList();
        var blocks = CsharpBlockRegex().Matches(readme).Select(m => Normalize(m.Groups[1].Value)).ToList();
        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
            Assert.True(samples.Contains(block), $"README block not found verbatim in ReadmeSamples.cs:\n{block}");
    }

    [Fact]
    public void Linear_regression_sample_gives_the_article_values()
    {
        var (a, b) = ReadmeSamples.LinearRegression();
        Assert.Equal(0.15418, a.Item<float>(), 5);
        Assert.Equal(0.19696, b.Item<float>(), 5);
    }

    [Fact]
    public void Tensor_sample_gives_views_sums_and_second_derivatives()
    {
        var (column, sums, dy, d2y) = ReadmeSamples.Tensors();
        Assert.Equal([0f, 3f], column.ToArray<float>());
        Assert.Equal([12f, 30f], sums.ToArray<float>());
        Assert.Equal([0.75, 3.0], dy.ToArray<double>());
        Assert.Equal([3.0, -6.0], d2y.ToArray<double>());
    }

    [Fact]
    public void Indexing_sample_gives_numpys_answers()
    {
        var (strided, lastColumn, firstRow, large, sampleStd, unreduced) = ReadmeSamples.Indexing();
        Assert.Equal([5f, 7, 9, 10, 12, 14, 15, 17, 19], strided.ToArray<float>());
        Assert.Equal([4f, 9, 14, 19], lastColumn.ToArray<float>());
        Assert.Equal([1, 5], firstRow.Shape);
        Assert.Equal(Enumerable.Range(0, 20).Select(v => v > 10), large.ToArray<bool>());
        // Each column is c, c + 5, c + 10, c + 15: deviations ±7.5, ±2.5, so the sample variance is 125 / 3.
        Assert.All(sampleStd.ToArray<float>(), s => Assert.Equal(Math.Sqrt(125.0 / 3), s, 5));
        Assert.Equal([4, 5], unreduced.Shape);
    }

    [Fact]
    public void Keras_sample_trains_saves_and_loads()
    {
        var folder = Path.Combine(Path.GetTempPath(), "descent-readme-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.True(ReadmeSamples.Keras(folder) >= 0.95);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Custom_loop_sample_reduces_the_loss()
    {
        var (first, last) = ReadmeSamples.CustomLoop();
        Assert.True(last < first, $"loss {first} → {last}");
    }

    [GeneratedRegex(@"// BEGIN [\w-]+\r?\n(.*?)\r?\n\s*// END", RegexOptions.Singleline)]
    private static partial Regex SampleRegex();

    [GeneratedRegex(@"```csharp\r?\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CsharpBlockRegex();

    [Fact]
    [SkipOn("reference", "the baby GPT's steps take minutes in the reference backend's scalar loops; the GPT's layers run there in GptTests")]
    public void Gpt_sample_trains_and_writes_300_characters_of_its_vocabulary()
    {
        var (first, last, text) = ReadmeSamples.CharacterGpt(steps: 4);
        Assert.True(last < first, $"loss {first} → {last}");
        Assert.Equal(300, text.Length);
        Assert.All(text, c => Assert.True(c == '\n' || c == ' ' || c == '!' || char.IsAsciiLetter(c) || "$&',-.3:;?".Contains(c), $"'{c}'"));
    }
}
