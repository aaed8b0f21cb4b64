using System.Globalization;
using System.Text;
using Descent.Cli.Plots;
using Descent.Cli.Training;
using Descent.Nn.Models;
using Spectre.Console;

namespace Descent.Cli.Commands;

/// <summary>
/// <c>descent train --dataset shakespeare</c>: trains the character GPT with a step progress bar (loss, ETA) and the
/// validation loss every 250 steps, saves the model with its vocabulary, history.csv and curves.png, and prints a sample.
/// </summary>
internal static class TrainLanguageModel
{
    public const string HistoryFile = "history.csv";
    public const string CurvesFile = "curves.png";

    public static int Run(CliContext cli, LanguageModelSettings s, string folder, bool json)
    {
        var console = cli.Console;
        var trainer = new LanguageModelTrainer(s);
        bool live = !json && console.Profile.Capabilities.Interactive;
        if (!json) Header(console, s, trainer.Parameters);
        LanguageModelResult result;
        if (live)
        {
            result = null!;
            console.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("starting", maxValue: s.Steps);
                    string validation = "";
                    result = trainer.Run(
                        stepDone: (i, loss) =>
                        {
                            task.Description = $"step {i}/{s.Steps} · loss {Loss(loss)}{validation}";
                            task.Value = i;
                        },
                        evaluated: e => validation = $" · val {Loss(e.ValLoss)} at step {e.Step}");
                });
        }
        else
        {
            result = trainer.Run(evaluated: e =>
            {
                if (json) return;
                // Straight to the writer, one line per point: Spectre would wrap long lines in a log.
                cli.Out.WriteLine($"step {e.Step}/{s.Steps} - train loss {Loss(e.TrainLoss)} - val loss {Loss(e.ValLoss)}");
                cli.Out.Flush();
            });
        }
        var files = Write(result, folder);
        if (json) cli.WriteJson(ToJson(result, folder, files));
        else Describe(cli, console, result, folder, files, live);
        return 0;
    }

    /// <summary>Saves the model with its vocabulary and run details, history.csv and curves.png; returns the file names.</summary>
    public static IReadOnlyList<string> Write(LanguageModelResult r, string folder)
    {
        Directory.CreateDirectory(folder);
        var s = r.Settings;
        var metadata = r.Model.Model.Metadata;
        metadata["dataset"] = LanguageModelSettings.Dataset;
        metadata["model_spec"] = s.Model;
        metadata["steps"] = s.Steps;
        metadata["lr"] = s.LearningRate;
        metadata["batch_size"] = s.BatchSize;
        metadata["seed"] = s.Seed;
        metadata["val_loss"] = r.ValLoss;
        r.Model.Save(folder);
        var csv = new StringBuilder("step,train_loss,val_loss\n");
        foreach (var e in r.Evaluations)
            csv.Append(CultureInfo.InvariantCulture, $"{e.Step},{e.TrainLoss:R},{e.ValLoss:R}\n");
        OutputFile.Write(Path.Combine(folder, HistoryFile), csv.ToString(), "history");
        PlotFile.SavePng(LanguageModelCurvesPlot.Create(r.StepLosses, r.Evaluations,
                $"{Describe(s)}, on {LanguageModelSettings.Dataset}"),
            Path.Combine(folder, CurvesFile));
        return [Model.WeightsFile, Model.ArchitectureFile, HistoryFile, CurvesFile];
    }

    /// <summary>The <c>--json</c> document; docs/cli.md describes each field.</summary>
    private sealed record Json(
        string Dataset, string Model, long Parameters, int Steps, double TrainLoss, double ValLoss, double TrainSeconds, double StepMs,
        string Sample, int Layers, int Heads, int Width, int Context, int BatchSize, double Lr, double Dropout, long Seed,
        int TrainTokens, int ValidationTokens, int VocabularySize, IReadOnlyList<EvaluationJson> Evaluations, string Out, IReadOnlyList<string> Files,
        string Device);

    private sealed record EvaluationJson(int Step, double TrainLoss, double ValLoss);

    private static Json ToJson(LanguageModelResult r, string folder, IReadOnlyList<string> files)
    {
        var s = r.Settings;
        return new Json(LanguageModelSettings.Dataset, s.Model, r.Parameters, s.Steps, Finite(r.TrainLoss), Finite(r.ValLoss),
            Math.Round(r.TrainSeconds, 3), Math.Round(r.StepMilliseconds, 3), r.Sample, s.Layers, s.Heads, s.Width, s.Context, s.BatchSize,
            s.LearningRate, s.Dropout, s.Seed, r.TrainTokens, r.ValidationTokens, r.Model.Vocabulary.Size,
            r.Evaluations.Select(e => new EvaluationJson(e.Step, Finite(e.TrainLoss), Finite(e.ValLoss))).ToArray(), folder, files, Descent.Device.Default.ToString());
    }

    // JSON holds no NaN: a diverged run is reported as failed rather than written with a made-up number.
    private static double Finite(double value) => double.IsFinite(value) ? value
        : throw new InvalidOperationException($"training diverged: a loss became {value}; try a lower --lr.");

    private static void Header(IAnsiConsole console, LanguageModelSettings s, long parameters)
    {
        console.WriteLine($"Training {Describe(s)} ({parameters:N0} parameters) " +
            $"on {LanguageModelSettings.Dataset} characters (first 90% to train, last 10% to validate).");
        console.WriteLine($"AdamW lr {F(s.LearningRate)} (betas {F(LanguageModelSettings.Beta1)}/{F(LanguageModelSettings.Beta2)}, weight decay " +
            $"{F(LanguageModelSettings.WeightDecay)}), warm-up {s.WarmupSteps} steps then cosine to {F(s.LearningRate * LanguageModelSettings.FinalRateFraction)}, " +
            $"gradient norm clipped at {F(LanguageModelSettings.ClipNorm)}; batch {s.BatchSize}, {s.Steps} steps, dropout {F(s.Dropout)}, seed {s.Seed}.");
        console.WriteLine($"Validation loss every {LanguageModelSettings.EvalInterval} steps: the mean over {LanguageModelSettings.EvalBatches} random batches.");
        console.WriteLine();
    }

    private static void Describe(CliContext cli, IAnsiConsole console, LanguageModelResult r, string folder, IReadOnlyList<string> files, bool live)
    {
        var s = r.Settings;
        if (live)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("Losses (nats per character)")
                .AddColumn(new TableColumn("step").RightAligned()).AddColumn(new TableColumn("train (mean since last)").RightAligned())
                .AddColumn(new TableColumn($"val ({LanguageModelSettings.EvalBatches} batches)").RightAligned());
            foreach (var e in r.Evaluations)
                table.AddRow(e.Step.ToString(CultureInfo.InvariantCulture), Loss(e.TrainLoss), Loss(e.ValLoss));
            console.Write(table);
        }
        console.WriteLine($"Trained {s.Steps} steps in {r.TrainSeconds.ToString("F1", CultureInfo.InvariantCulture)} s " +
            $"({r.StepMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} ms a step, {r.Parameters:N0} parameters).");
        console.MarkupLine($"[bold]Loss over {LanguageModelSettings.FinalEvalBatches} random batches: train {Loss(r.TrainLoss)}, val {Loss(r.ValLoss)}[/] " +
            $"(a uniform guess over the {r.Model.Vocabulary.Size} characters scores {Loss(Math.Log(r.Model.Vocabulary.Size))}).");
        console.WriteLine();
        console.WriteLine($"A sample of {LanguageModelSettings.SampleLength} characters (temperature {F(LanguageModelSettings.SampleTemperature)}, " +
            $"top-k {LanguageModelSettings.SampleTopK}, seed {s.Seed}):");
        console.WriteLine();
        // Straight to the writer: Spectre would wrap long lines of the text at the console width.
        cli.Out.Write(r.Sample);
        cli.Out.WriteLine();
        cli.Out.WriteLine();
        cli.Out.Flush();
        console.WriteLine($"Wrote {string.Join(", ", files)} to {folder}{Path.DirectorySeparatorChar}; generate more with: descent generate --model {folder}");
    }

    /// <summary>"gpt: 4 blocks of 4 heads, 128 wide, context 64" or "lstm: 2 layers of 128 units, context 64".</summary>
    private static string Describe(LanguageModelSettings s) => s.Model == "lstm"
        ? $"lstm: {s.Layers} layer{(s.Layers == 1 ? "" : "s")} of {s.Width} units, context {s.Context}"
        : $"gpt: {s.Layers} block{(s.Layers == 1 ? "" : "s")} of {s.Heads} heads, {s.Width} wide, context {s.Context}";

    private static string Loss(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
