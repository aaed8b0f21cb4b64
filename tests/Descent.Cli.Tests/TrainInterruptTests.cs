using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Descent.Nn.Data;
using Descent.Nn.Models;

namespace Descent.Cli.Tests;

/// <summary>
/// Ctrl-C during <c>descent train</c>: it stops after the current batch, saves the last finished epoch marked as
/// interrupted, says so and exits 130. In-process through <see cref="Interrupts"/> (the seam Ctrl-C's handler uses),
/// and once end to end with a real SIGINT to a child process.
/// </summary>
[Collection(TrainingCollection.Name)]
public class TrainInterruptTests
{
    /// <summary>A writer that runs <paramref name="action"/> once, the first time a written line contains <paramref name="text"/>.</summary>
    private sealed class TriggerWriter(string text, Action action) : StringWriter
    {
        private bool _fired;

        public override void Write(string? value)
        {
            base.Write(value);
            Check(value);
        }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            Check(value);
        }

        private void Check(string? value)
        {
            if (_fired || value is null || !value.Contains(text, StringComparison.Ordinal)) return;
            _fired = true;
            action();
        }
    }

    private static float[] PredictIris(string folder)
    {
        var model = Model.Load(folder);
        var iris = Datasets.Iris();
        return model.Predict(Tensor.FromArray(iris.Features, iris.Rows, iris.Columns)).ToArray<float>();
    }

    [Fact]
    public void Interrupt_saves_the_finished_epochs_marks_the_model_and_exits_130()
    {
        using var folder = new TempFolder();
        using var interrupts = new Interrupts();
        // Epoch 3's line is written when it ends; the interrupt then lands before epoch 4's first batch.
        var stdout = new TriggerWriter("Epoch 3/", () => Assert.True(interrupts.TryInterrupt()));
        var stderr = new StringWriter();

        int code = Program.Run(["train", "--dataset", "iris", "--epochs", "500", "--out", folder.File("run")], stdout, stderr, interrupts);

        Assert.Equal(Program.ExitInterrupted, code);
        Assert.Equal("", stderr.ToString());
        string output = stdout.ToString();
        Assert.DoesNotContain("Epoch 4/", output);
        Assert.Contains("Interrupted (Ctrl-C) during epoch 4: kept the weights after epoch 3, the last one that finished", output);
        Assert.Contains("(model.json says it was interrupted)", output);
        Assert.Equal(4, File.ReadAllLines(folder.File("run/history.csv")).Length); // header and epochs 1-3
        var metadata = Model.Load(folder.File("run")).Metadata;
        Assert.Equal(3, ((JsonElement)metadata["epochs"]!).GetInt32());
        Assert.Equal("Ctrl-C during epoch 4 of 500; these are the weights after epoch 3", ((JsonElement)metadata["interrupted"]!).GetString());

        // The saved model is the one a three-epoch run ends with.
        CliRun.Json("train", "--dataset", "iris", "--epochs", "3", "--out", folder.File("three"));
        Assert.Equal(PredictIris(folder.File("three")), PredictIris(folder.File("run")));
    }

    [Fact]
    public void Interrupt_with_json_prints_the_document_marked_interrupted()
    {
        using var folder = new TempFolder();
        using var interrupts = new Interrupts();
        // --json prints nothing per epoch; the seam train reports finished epochs through stands in for the terminal.
        interrupts.EpochFinished += epoch => { if (epoch == 2) interrupts.TryInterrupt(); };
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = Program.Run(["train", "--dataset", "iris", "--epochs", "500", "--out", folder.File("run"), "--json"], stdout, stderr, interrupts);

        Assert.Equal(Program.ExitInterrupted, code);
        Assert.Equal("", stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.True(root.GetProperty("interrupted").GetBoolean());
        Assert.Equal(3, root.GetProperty("interrupted_epoch").GetInt32());
        Assert.Equal(2, root.GetProperty("epochs").GetInt32());
        Assert.Equal(500, root.GetProperty("epochs_requested").GetInt32());
        Assert.True(File.Exists(folder.File("run/model.json")));
    }

    [Fact]
    public void Interrupt_before_the_first_epoch_ends_saves_nothing_and_exits_130()
    {
        using var folder = new TempFolder();
        using var interrupts = new Interrupts();
        interrupts.SectionOpened += () => Assert.True(interrupts.TryInterrupt());
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = Program.Run(["train", "--dataset", "iris", "--out", folder.File("run"), "--json"], stdout, stderr, interrupts);

        Assert.Equal(Program.ExitInterrupted, code);
        Assert.Equal("", stdout.ToString());
        Assert.Equal("descent: interrupted during epoch 1, before any epoch finished; nothing was saved.", stderr.ToString().TrimEnd());
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Ctrl_c_outside_training_is_left_to_end_the_process()
    {
        using var interrupts = new Interrupts();
        Assert.False(interrupts.TryInterrupt()); // no section: Main lets the process end as usual
        using (interrupts.Catch())
        {
            Assert.True(interrupts.TryInterrupt());
            Assert.False(interrupts.TryInterrupt()); // a second Ctrl-C ends the process at once
        }
        Assert.True(interrupts.Token.IsCancellationRequested);
    }

    [LinuxFact]
    public void Sigint_to_a_training_process_stops_it_cleanly()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        // Batches of one make an epoch 120 steps long, so the signal most likely lands inside one.
        var start = Launcher(["train", "--dataset", "iris", "--epochs", "100000", "--batch-size", "1", "--out", run]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var child = Process.Start(start)!;
        var lines = new List<string>();
        var fifthEpoch = new TaskCompletionSource();
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (e.Data.StartsWith("Epoch 5/", StringComparison.Ordinal)) fifthEpoch.TrySetResult();
        };
        var errors = child.StandardError.ReadToEndAsync();
        child.BeginOutputReadLine();
        try
        {
            Assert.True(fifthEpoch.Task.Wait(TimeSpan.FromMinutes(2)), "the child never finished epoch 5");
            using (var kill = Process.Start("kill", ["-INT", child.Id.ToString(CultureInfo.InvariantCulture)])!) kill.WaitForExit();
            Assert.True(child.WaitForExit(TimeSpan.FromMinutes(1)), "the child did not stop after SIGINT");
        }
        finally
        {
            if (!child.HasExited) child.Kill();
        }
        child.WaitForExit(); // drains the output events

        Assert.Equal(130, child.ExitCode);
        Assert.StartsWith("descent: interrupted; stopping after the current batch", errors.Result);
        string output;
        lock (lines) output = string.Join('\n', lines);
        Assert.Contains("Interrupted (Ctrl-C) during epoch ", output);
        int finished = File.ReadAllLines(Path.Combine(run, "history.csv")).Length - 1;
        Assert.True(finished >= 5, $"{finished} epochs saved");
        Assert.Contains($"kept the weights after epoch {finished}, the last one that finished", output);

        // Whatever batch the signal stopped, the saved weights are those at the end of the last finished epoch.
        CliRun.Json("train", "--dataset", "iris", "--epochs", finished.ToString(CultureInfo.InvariantCulture), "--batch-size", "1",
            "--out", folder.File("same"));
        Assert.Equal(PredictIris(folder.File("same")), PredictIris(run));
    }

    // `dotnet Descent.Cli.dll ...` from the test's output folder, where the build copies the CLI and its runtime config.
    private static ProcessStartInfo Launcher(string[] args)
    {
        string dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        return start;
    }
}
