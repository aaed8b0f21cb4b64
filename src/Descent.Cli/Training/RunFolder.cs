using System.Globalization;
using System.Text;
using Descent.Cli.Plots;
using Descent.Nn.Training;
using ScottPlot;

namespace Descent.Cli.Training;

/// <summary>Writes a training run's files into its output folder, each atomically.</summary>
internal static class RunFolder
{
    public const string HistoryFile = "history.csv";
    public const string CurvesFile = "curves.png";
    public const string MistakesFile = "mistakes.png";
    public const int CurvesWidth = 1200;
    public const int CurvesHeight = 500;

    /// <summary>runs/20261127-134500 under the current folder, with -2, -3... when a run in the same second took it.</summary>
    public static string DefaultPath(DateTime now)
    {
        string stamp = Path.Combine("runs", now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        string path = stamp;
        for (int n = 2; Directory.Exists(path); n++) path = $"{stamp}-{n}";
        return path;
    }

    /// <summary>Writes the model (with its metadata), history.csv, curves.png and, for image data, mistakes.png; returns the file names.</summary>
    public static IReadOnlyList<string> Write(TrainResult r, string folder)
    {
        Directory.CreateDirectory(folder);
        new ModelMetadata(r.DatasetName, TargetOf(r), r.Data.FeatureNames, r.Data.ClassNames, r.Scaler)
            .WriteTo(r.Model, new Dictionary<string, object?>
            {
                ["model_spec"] = r.Settings.Model.ToString(),
                ["optimizer"] = r.Settings.Optimizer,
                ["lr"] = r.Settings.LearningRate,
                ["seed"] = r.Settings.Seed,
                ["epochs"] = r.EpochsRun,
                ["test_accuracy"] = r.TestAccuracy,
            });
        r.Model.Save(folder);
        var files = new List<string> { Nn.Models.Model.WeightsFile, Nn.Models.Model.ArchitectureFile, HistoryFile, CurvesFile };
        OutputFile.Write(Path.Combine(folder, HistoryFile), HistoryCsv(r.History), "history");
        var curves = TrainingCurvesPlot.Create(r.History, $"{r.Settings.Model} on {Path.GetFileName(r.DatasetName)}");
        OutputFile.Write(Path.Combine(folder, CurvesFile), curves.Render(CurvesWidth, CurvesHeight).GetImageBytes(ImageFormat.Png), "plot");
        if (r.DatasetName == "digits")
        {
            PlotFile.SavePng(MistakesPlot.Create(Mistakes(r), 8, 16, r.Test.Rows), Path.Combine(folder, MistakesFile));
            files.Add(MistakesFile);
        }
        return files;
    }

    /// <summary>One row per epoch: epoch (from 1), then each logged value (loss, accuracy, val_loss, val_accuracy) in round-trip form.</summary>
    public static string HistoryCsv(History history)
    {
        var names = history.Values.Keys.ToArray();
        var csv = new StringBuilder("epoch");
        foreach (string name in names) csv.Append(',').Append(name);
        csv.Append('\n');
        for (int i = 0; i < history.Epochs.Count; i++)
        {
            csv.Append((history.Epochs[i] + 1).ToString(CultureInfo.InvariantCulture));
            foreach (string name in names) csv.Append(',').Append(history[name][i].ToString("R", CultureInfo.InvariantCulture));
            csv.Append('\n');
        }
        return csv.ToString();
    }

    // The embedded sets' target columns, as EmbeddedDatasets reads them.
    private static string TargetOf(TrainResult r) => r.Settings.Target ?? (r.DatasetName == "iris" ? "species" : "label");

    private static List<(float[] Pixels, string Label)> Mistakes(TrainResult r)
    {
        var list = new List<(float[], string)>();
        var labels = r.Test.Labels!;
        int columns = r.Test.Columns;
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] != r.Predicted[i])
                list.Add((r.Test.Features.AsSpan(i * columns, columns).ToArray(), $"{r.Data.ClassNames[labels[i]]} → {r.Data.ClassNames[r.Predicted[i]]}"));
        return list;
    }
}
