using System.Text.Json;

namespace Descent.Cli.Tests;

/// <summary>
/// What <c>descent train</c> does with <c>--out</c>: checked before training, never overwritten by a diverged run, and
/// cleared of an earlier run's files that this run does not write again (and of nothing else).
/// </summary>
[Collection(TrainingCollection.Name)]
public class TrainOutputFolderTests
{
    [Fact]
    public void An_out_that_is_a_file_is_refused_before_training()
    {
        using var folder = new TempFolder();
        string file = folder.File("taken.txt");
        File.WriteAllText(file, "mine");
        // 100000 epochs: were --out checked after training, this test would not end.
        var run = CliRun.Of("train", "--dataset", "iris", "--epochs", "100000", "--out", file);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out); // not even the header: nothing started
        Assert.Equal($"descent: --out '{file}': this is a file, not a folder; give a folder (it is created if needed).", run.Err.TrimEnd());
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    public void An_out_inside_a_file_is_refused_before_training()
    {
        using var folder = new TempFolder();
        string file = folder.File("taken.txt");
        File.WriteAllText(file, "mine");
        var run = CliRun.Of("train", "--dataset", "iris", "--epochs", "100000", "--out", Path.Combine(file, "run"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains($"'{file}' is a file", run.Err);
    }

    [LinuxTheory]
    [InlineData("/proc/descent-test-run")]
    [InlineData("/proc/self/descent-test-run")]
    [InlineData("/sys/descent-test-run")]
    public void An_out_where_no_file_can_be_made_is_refused_before_training(string path)
    {
        var run = CliRun.Of("train", "--dataset", "iris", "--epochs", "100000", "--out", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        string line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"descent: --out '{path}': cannot write in '/", line);
        Assert.Contains("nothing was trained", line);
        Assert.DoesNotContain("descent-write-test", line); // the probe file is ours, not the user's business
    }

    [Fact]
    public void A_diverging_run_stops_says_why_and_leaves_the_earlier_model_alone()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        CliRun.Json("train", "--dataset", "iris", "--epochs", "2", "--out", run);
        var before = Directory.GetFiles(run).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        var diverged = CliRun.Of("train", "--dataset", "iris", "--epochs", "100000", "--optimizer", "sgd", "--lr", "1e30", "--out", run, "--json");

        Assert.Equal(2, diverged.ExitCode);
        Assert.Equal("", diverged.Out);
        string line = Assert.Single(diverged.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("descent: training diverged: the ", line);
        Assert.Contains("so nothing was saved", line);
        Assert.Contains("try --lr 1E+29", line);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(run).Select(Path.GetFileName).Order());
        foreach (var (name, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(run, name!)));
    }

    [Fact]
    public void A_diverging_run_in_human_mode_shows_its_epochs_then_the_error()
    {
        using var folder = new TempFolder();
        var run = CliRun.Of("train", "--dataset", "iris", "--epochs", "100000", "--optimizer", "sgd", "--lr", "1e30", "--out", folder.File("run"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Epoch 1/100000", run.Out);
        Assert.DoesNotContain("Test loss", run.Out);
        Assert.StartsWith("descent: training diverged", run.Err);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Reusing_out_removes_the_earlier_runs_files_that_this_run_does_not_write()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        var digits = CliRun.Json("train", "--epochs", "1", "--model", "mlp:16", "--out", run);
        Assert.Contains("mistakes.png", digits.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Empty(digits.GetProperty("removed_files").EnumerateArray());
        File.WriteAllText(Path.Combine(run, "notes.txt"), "the user's own file");
        File.WriteAllText(Path.Combine(run, "mistakes-2025.png"), "also the user's");

        var iris = CliRun.Json("train", "--dataset", "iris", "--epochs", "1", "--out", run);

        Assert.Equal(["mistakes.png"], iris.GetProperty("removed_files").EnumerateArray().Select(f => f.GetString()));
        var left = Directory.GetFiles(run).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(iris.GetProperty("files").EnumerateArray().Select(f => f.GetString()).Append("mistakes-2025.png").Append("notes.txt").Order(), left);
    }

    [Fact]
    public void Reusing_a_folder_without_descents_list_of_files_removes_nothing()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        CliRun.Json("train", "--epochs", "1", "--model", "mlp:16", "--out", run);
        // A model.json that lists other names (edited by hand, or from elsewhere): only names train writes may go.
        string modelJson = Path.Combine(run, "model.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(modelJson))!;
        json["metadata"]!["files"] = new System.Text.Json.Nodes.JsonArray("notes.txt", "../outside.txt", "mistakes.png");
        File.WriteAllText(modelJson, json.ToJsonString());
        File.WriteAllText(Path.Combine(run, "notes.txt"), "mine");
        File.WriteAllText(folder.File("outside.txt"), "mine too");

        var iris = CliRun.Json("train", "--dataset", "iris", "--epochs", "1", "--out", run);
        Assert.Equal(["mistakes.png"], iris.GetProperty("removed_files").EnumerateArray().Select(f => f.GetString()));
        Assert.True(File.Exists(Path.Combine(run, "notes.txt")));
        Assert.True(File.Exists(folder.File("outside.txt")));

        // And with no list at all (a folder from before descent kept one), nothing is removed.
        json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(modelJson))!;
        json["metadata"]!.AsObject().Remove("files");
        File.WriteAllText(modelJson, json.ToJsonString());
        File.WriteAllText(Path.Combine(run, "mistakes.png"), "an old plot");
        var again = CliRun.Json("train", "--dataset", "iris", "--epochs", "1", "--out", run);
        Assert.Empty(again.GetProperty("removed_files").EnumerateArray());
        Assert.True(File.Exists(Path.Combine(run, "mistakes.png")));
    }

    [Fact]
    public void Model_json_lists_the_files_the_run_wrote()
    {
        using var folder = new TempFolder();
        var json = CliRun.Json("train", "--dataset", "iris", "--epochs", "1", "--out", folder.Path);
        using var model = JsonDocument.Parse(File.ReadAllText(folder.File("model.json")));
        Assert.Equal(json.GetProperty("files").EnumerateArray().Select(f => f.GetString()),
            model.RootElement.GetProperty("metadata").GetProperty("files").EnumerateArray().Select(f => f.GetString()));
    }
}
