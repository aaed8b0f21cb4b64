using System.Globalization;
using System.Text.Json;
using Descent.Nn.Data;
using Descent.Nn.Models;

namespace Descent.Cli.Tests;

/// <summary>
/// <c>descent predict</c> where things are off: a model whose weights are NaN, rows whose outputs overflow (the JSON
/// holds null, never NaN, as docs/cli.md promises), and a target column whose values are no class the model knows.
/// </summary>
[Collection(TrainingCollection.Name)]
public class PredictOutputTests
{
    private static string TrainIris(TempFolder folder)
    {
        string run = folder.File("run");
        CliRun.Json("train", "--dataset", "iris", "--epochs", "2", "--out", run);
        return run;
    }

    private static string IrisCsv(TempFolder folder, Func<int, string> species, Func<int, int, string>? feature = null)
    {
        var iris = Datasets.Iris();
        var lines = new List<string> { string.Join(",", [.. iris.FeatureNames, "species"]) };
        for (int r = 0; r < iris.Rows; r++)
            lines.Add(string.Join(",", [.. Enumerable.Range(0, 4).Select(c => feature?.Invoke(r, c) ?? iris.Features[r * 4 + c].ToString("R", CultureInfo.InvariantCulture)), species(r)]));
        string path = folder.File($"input-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void A_model_with_nan_weights_is_an_error_that_says_what_happened()
    {
        using var folder = new TempFolder();
        string run = TrainIris(folder);
        var model = Model.Load(run);
        var kernel = model.Variables[0];
        kernel.Assign(kernel * double.NaN);
        model.SaveWeights(Path.Combine(run, Model.WeightsFile));
        var iris = Datasets.Iris();

        var result = CliRun.Of("predict", "--model", run, "--input", IrisCsv(folder, r => iris.ClassNames[iris.Labels![r]]), "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        string line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"descent: '{run}': weight '{kernel.Name}' holds NaN or infinity, so every prediction would be NaN; " +
            "its training diverged. Train it again with a lower --lr.", line);
    }

    [Fact]
    public void Rows_whose_outputs_overflow_get_null_in_the_json_not_nan()
    {
        using var folder = new TempFolder();
        string run = TrainIris(folder);
        var iris = Datasets.Iris();
        // Row 0's features at float32's largest magnitude, with both signs: the network's sums overflow to ±∞ and then NaN.
        string input = IrisCsv(folder, r => iris.ClassNames[iris.Labels![r]], (r, c) => r == 0 ? (c % 2 == 0 ? "3.4e38" : "-3.4e38") : iris.Features[r * 4 + c].ToString("R", CultureInfo.InvariantCulture));

        var json = CliRun.Json("predict", "--model", run, "--input", input);

        var first = json.GetProperty("predictions")[0];
        Assert.Equal(JsonValueKind.Null, first.GetProperty("class").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("label").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("probabilities").ValueKind);
        Assert.Equal(iris.ClassNames[iris.Labels![0]], first.GetProperty("true_class").GetString());
        Assert.Equal(JsonValueKind.String, json.GetProperty("predictions")[1].GetProperty("class").ValueKind);
        Assert.Contains(json.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("1 of 150 rows gave outputs that are not finite", StringComparison.Ordinal));

        var human = CliRun.Of("predict", "--model", run, "--input", input);
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("not finite", human.Out);
        Assert.Contains("Warning: 1 of 150 rows", human.Out);
    }

    [Fact]
    public void A_target_column_with_no_known_class_is_warned_about()
    {
        using var folder = new TempFolder();
        string run = TrainIris(folder);
        var iris = Datasets.Iris();
        // The classes as numbers, as another export of the same data might have them.
        string input = IrisCsv(folder, r => iris.Labels![r].ToString(CultureInfo.InvariantCulture));

        var json = CliRun.Json("predict", "--model", run, "--input", input);
        Assert.Equal(0, json.GetProperty("accuracy").GetDouble());
        string warning = Assert.Single(json.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.Equal("no value of the 'species' column matches a class the model knows (setosa, versicolor, virginica), so the accuracy is 0; " +
            "the file's 'species' column may hold something else, or the classes are spelt differently.", warning);

        var human = CliRun.Of("predict", "--model", run, "--input", input);
        Assert.Contains("Warning: no value of the 'species' column matches a class the model knows", human.Out);
    }

    [Fact]
    public void Matching_classes_give_no_warning()
    {
        using var folder = new TempFolder();
        string run = TrainIris(folder);
        var iris = Datasets.Iris();
        var json = CliRun.Json("predict", "--model", run, "--input", IrisCsv(folder, r => iris.ClassNames[iris.Labels![r]]));
        Assert.Empty(json.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public void A_nan_in_a_json_document_is_reported_as_an_internal_error_not_as_bad_input()
    {
        var cli = new CliContext(new StringWriter(), new StringWriter(), new Interrupts());
        var e = Assert.Throws<NotSupportedException>(() => cli.WriteJson(new { Value = double.NaN }));
        Assert.Contains("NaN or infinity", e.Message);
    }
}
