using System.Text.RegularExpressions;

namespace Descent.Onnx.Tests;

/// <summary>docs/onnx.md's C# blocks are the code in OnnxDocSamples.cs, which compiles with the suite and runs here.</summary>
public partial class OnnxDocSamplesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("descent-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Every_csharp_block_of_the_page_is_a_compiled_sample()
    {
        string page = File.ReadAllText(RepoFile("docs", "onnx.md"));
        string source = File.ReadAllText(RepoFile("tests", "Descent.Onnx.Tests", "OnnxDocSamples.cs"));
        var samples = SampleRegex().Matches(source).Select(m => Normalize(m.Groups[1].Value)).ToList();
        var blocks = CsharpBlockRegex().Matches(page).Select(m => Normalize(m.Groups[1].Value)).ToList();
        Assert.Equal(4, blocks.Count);
        foreach (var block in blocks)
            Assert.True(samples.Contains(block), $"docs/onnx.md block not found verbatim in OnnxDocSamples.cs:\n{block}");
    }

    [Fact]
    public void The_exported_sample_runs_in_onnx_runtime_as_Predict_runs()
    {
        string path = Path.Combine(_folder, "iris.onnx");
        var model = OnnxDocSamples.Export(path);

        var probabilities = OnnxDocSamples.Run(path);

        var expected = model.Predict(Tensor.FromArray(new[] { 5.1f, 3.5f, 1.4f, 0.2f }, 1, 4)).ToArray<double>();
        OnnxRuntimeRunner.AssertClose(expected, probabilities.Select(p => (double)p).ToArray());
        Assert.Equal(1, probabilities.Sum(), 5);
    }

    private static string RepoFile(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Descent.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine([dir!.FullName, .. parts]);
    }

    // Compared with indentation and blank lines removed: the page shows the blocks unindented.
    private static string Normalize(string code) =>
        string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex(@"// BEGIN [\w-]+\r?\n(.*?)\r?\n\s*// END", RegexOptions.Singleline)]
    private static partial Regex SampleRegex();

    [GeneratedRegex(@"```csharp\r?\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CsharpBlockRegex();
}
