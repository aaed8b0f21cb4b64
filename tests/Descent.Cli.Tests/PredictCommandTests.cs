using System.Globalization;
using Descent.Nn.Data;
using Descent.Nn.Models;

namespace Descent.Cli.Tests;

[Collection(TrainingCollection.Name)]
public class PredictCommandTests(DefaultTrainRun run)
{
    private static readonly int[] Rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100, 1000];

    /// <summary>Some digits rows as CSV, columns in reverse order (predict matches them by name), with or without the label.</summary>
    private static string WriteDigits(TempFolder folder, bool withLabel, string? drop = null)
    {
        var digits = Datasets.Digits();
        var columns = digits.FeatureNames.Where(n => n != drop).Reverse().ToList();
        var lines = new List<string> { string.Join(",", withLabel ? ["label", .. columns] : columns) };
        foreach (int r in Rows)
        {
            var values = columns.Select(c => digits.Features[r * 64 + digits.FeatureNames.ToList().IndexOf(c)].ToString(CultureInfo.InvariantCulture));
            lines.Add(string.Join(",", withLabel ? [digits.ClassNames[digits.Labels![r]], .. values] : values));
        }
        string path = folder.File("digits.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Predicts_the_classes_Model_Predict_gives()
    {
        using var folder = new TempFolder();
        var json = CliRun.Json("predict", "--model", run.Out, "--input", WriteDigits(folder, withLabel: true));

        var digits = Datasets.Digits();
        var x = new float[Rows.Length * 64];
        for (int i = 0; i < Rows.Length; i++) digits.Features.AsSpan(Rows[i] * 64, 64).CopyTo(x.AsSpan(i * 64));
        var logits = Model.Load(run.Out).Predict(Tensor.FromArray(x, Rows.Length, 64) / 16.0);
        var expected = logits.ArgMax(1).ToArray<long>();
        var probabilities = logits.Softmax(1).ToArray<float>();

        var predictions = json.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(Rows.Length, predictions.Length);
        for (int i = 0; i < Rows.Length; i++)
        {
            var p = predictions[i];
            Assert.Equal(i + 1, p.GetProperty("row").GetInt32());
            Assert.Equal(expected[i], p.GetProperty("label").GetInt32());
            Assert.Equal(expected[i].ToString(CultureInfo.InvariantCulture), p.GetProperty("class").GetString());
            var probs = p.GetProperty("probabilities").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(10, probs.Length);
            Assert.Equal(1, probs.Sum(), 5);
            Assert.Equal(probabilities[i * 10 + expected[i]], probs[expected[i]], 6);
            Assert.Equal(digits.ClassNames[digits.Labels![Rows[i]]], p.GetProperty("true_class").GetString());
        }
        // These rows were mostly training rows; the model knows them.
        Assert.True(json.GetProperty("accuracy").GetDouble() >= 0.9);
    }

    [Fact]
    public void Without_the_target_column_there_is_no_accuracy()
    {
        using var folder = new TempFolder();
        var json = CliRun.Json("predict", "--model", run.Out, "--input", WriteDigits(folder, withLabel: false));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("accuracy").ValueKind);
        Assert.Equal(Rows.Length, json.GetProperty("predictions").GetArrayLength());
    }

    [Fact]
    public void Human_output_is_a_table_of_rows()
    {
        using var folder = new TempFolder();
        var result = CliRun.Of("predict", "--model", run.Out, "--input", WriteDigits(folder, withLabel: true));
        Assert.Equal(0, result.ExitCode);
        foreach (string text in new[] { "row", "predicted", "probability", "true (label)", "Accuracy against the 'label' column" })
            Assert.Contains(text, result.Out);
    }

    [Fact]
    public void Missing_model_folder_is_one_line_error()
    {
        using var folder = new TempFolder();
        AssertError(CliRun.Of("predict", "--model", folder.File("nothing"), "--input", WriteDigits(folder, true)), "does not exist");
    }

    [Fact]
    public void Folder_without_a_model_is_one_line_error()
    {
        using var folder = new TempFolder();
        AssertError(CliRun.Of("predict", "--model", folder.Path, "--input", WriteDigits(folder, true)), "model.json");
    }

    [Fact]
    public void Csv_missing_a_feature_column_is_one_line_error()
    {
        using var folder = new TempFolder();
        AssertError(CliRun.Of("predict", "--model", run.Out, "--input", WriteDigits(folder, true, drop: "p17")), "'p17'");
    }

    [Fact]
    public void Csv_with_a_bad_value_names_the_line_and_column()
    {
        using var folder = new TempFolder();
        string path = WriteDigits(folder, false);
        var lines = File.ReadAllLines(path);
        lines[3] = "x" + lines[3];
        File.WriteAllLines(path, lines);
        AssertError(CliRun.Of("predict", "--model", run.Out, "--input", path), "line 4, column 'p63'");
    }

    [Fact]
    public void Missing_input_option_is_a_command_line_error()
    {
        AssertError(CliRun.Of("predict", "--model", run.Out), "--input");
    }

    private static void AssertError(CliRun result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        string line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("descent: ", line);
        Assert.Contains(expected, line);
    }
}
