using System.Globalization;
using System.Text.Json;
using Descent.Nn.Data;

namespace Descent.Cli.Tests;

/// <summary>
/// Which columns of a CSV file become features: printed before training, <c>--ignore</c> leaves some out, a column that
/// numbers the rows is warned about, and <c>--delimiter</c> reads files not separated by commas.
/// </summary>
[Collection(TrainingCollection.Name)]
public class CsvColumnsTests
{
    /// <summary>Iris as a CSV file sorted by class (as it ships), with an <c>id</c> column 1..150 first.</summary>
    private static string IrisWithId(TempFolder folder, string delimiter = ",")
    {
        var iris = Datasets.Iris();
        var lines = new List<string> { string.Join(delimiter, ["id", .. iris.FeatureNames, "species"]) };
        for (int r = 0; r < iris.Rows; r++)
            lines.Add(string.Join(delimiter, [(r + 1).ToString(CultureInfo.InvariantCulture),
                .. iris.Features.Skip(r * 4).Take(4).Select(v => v.ToString("R", CultureInfo.InvariantCulture)), iris.ClassNames[iris.Labels![r]]]));
        string path = folder.File(delimiter == "," ? "iris.csv" : "iris-semicolons.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string[] Strings(JsonElement json, string name) => json.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public void A_column_that_numbers_the_rows_is_used_but_warned_about()
    {
        using var folder = new TempFolder();
        var json = CliRun.Json("train", "--dataset", IrisWithId(folder), "--target", "species", "--epochs", "2", "--out", folder.File("run"));
        Assert.Equal("id", Strings(json, "features")[0]);
        string warning = Assert.Single(Strings(json, "warnings"));
        Assert.Contains("column 'id' goes up or down by 1 from each row to the next", warning);
        Assert.Contains("--ignore id", warning);
    }

    [Fact]
    public void Human_output_lists_the_features_and_the_warning_before_training()
    {
        using var folder = new TempFolder();
        var run = CliRun.Of("train", "--dataset", IrisWithId(folder), "--target", "species", "--epochs", "2", "--out", folder.File("run"));
        Assert.Equal(0, run.ExitCode);
        string output = run.Out.ReplaceLineEndings("\n");
        int features = output.IndexOf("Features (5): id, sepal_length, sepal_width, petal_length, petal_width.", StringComparison.Ordinal);
        int warning = output.IndexOf("Warning: column 'id' goes up or down by 1", StringComparison.Ordinal);
        int epoch = output.IndexOf("Epoch 1/2", StringComparison.Ordinal);
        Assert.True(features >= 0 && warning > features && epoch > warning, output);
    }

    [Fact]
    public void Ignore_leaves_columns_out()
    {
        using var folder = new TempFolder();
        var json = CliRun.Json("train", "--dataset", IrisWithId(folder), "--target", "species", "--ignore", "id, sepal_width", "--epochs", "2",
            "--out", folder.File("run"));
        Assert.Equal(["sepal_length", "petal_length", "petal_width"], Strings(json, "features"));
        Assert.Equal(["id", "sepal_width"], Strings(json, "ignored_columns"));
        Assert.Empty(Strings(json, "warnings"));

        // predict reads the features the model names, so the ignored columns in its input do not matter.
        var predicted = CliRun.Json("predict", "--model", folder.File("run"), "--input", IrisWithId(folder));
        Assert.Equal(150, predicted.GetProperty("predictions").GetArrayLength());
    }

    [Theory]
    [InlineData("idd", "--ignore names 'idd', which is not a column", "did you mean 'id'?")]
    [InlineData("species", "--ignore 'species': that is the --target column.", null)]
    [InlineData("id,,petal_width", "--ignore 'id,,petal_width': give column names separated by commas", null)]
    public void Bad_ignore_exits_two_and_says_why(string ignore, string expected, string? hint)
    {
        using var folder = new TempFolder();
        var run = CliRun.Of("train", "--dataset", IrisWithId(folder), "--target", "species", "--ignore", ignore, "--out", folder.File("run"));
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        if (hint is not null) Assert.Contains(hint, line);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("--ignore", "id")]
    [InlineData("--delimiter", ";")]
    public void Csv_options_with_an_embedded_data_set_are_errors(string option, string value)
    {
        var run = CliRun.Of("train", "--dataset", "iris", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{option} is for a CSV file", run.Err);
    }

    [Fact]
    public void Delimiter_reads_a_semicolon_file_for_train_and_predict()
    {
        using var folder = new TempFolder();
        string csv = IrisWithId(folder, ";");
        var json = CliRun.Json("train", "--dataset", csv, "--target", "species", "--delimiter", ";", "--ignore", "id", "--epochs", "2", "--out", folder.File("run"));
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], Strings(json, "features"));
        var predicted = CliRun.Json("predict", "--model", folder.File("run"), "--input", csv, "--delimiter", ";");
        Assert.Equal(150, predicted.GetProperty("predictions").GetArrayLength());
    }

    [Fact]
    public void A_semicolon_file_read_with_commas_suggests_the_delimiter()
    {
        using var folder = new TempFolder();
        var run = CliRun.Of("train", "--dataset", IrisWithId(folder, ";"), "--target", "species", "--out", folder.File("run"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("if the fields are separated by ';', pass --delimiter ';'", run.Err);
    }

    [Theory]
    [InlineData("tab")]
    [InlineData("\\t")]
    public void Tab_is_named_as_tab_or_backslash_t(string text)
    {
        using var folder = new TempFolder();
        string csv = folder.File("tabs.tsv.csv");
        var iris = Datasets.Iris();
        var lines = new List<string> { string.Join('\t', [.. iris.FeatureNames, "species"]) };
        for (int r = 0; r < iris.Rows; r++)
            lines.Add(string.Join('\t', [.. iris.Features.Skip(r * 4).Take(4).Select(v => v.ToString("R", CultureInfo.InvariantCulture)), iris.ClassNames[iris.Labels![r]]]));
        File.WriteAllLines(csv, lines);
        var json = CliRun.Json("train", "--dataset", csv, "--target", "species", "--delimiter", text, "--epochs", "1", "--out", folder.File("run"));
        Assert.Equal(4, json.GetProperty("features").GetArrayLength());
    }

    [Theory]
    [InlineData(";;")]
    [InlineData("x")]
    [InlineData(".")]
    [InlineData("\"")]
    public void A_delimiter_that_cannot_separate_fields_is_refused(string delimiter)
    {
        var run = CliRun.Of("predict", "--model", "no-such-folder", "--input", "x.csv", "--delimiter", delimiter);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"descent: --delimiter '{delimiter}': give the one character between fields", run.Err);
    }
}
