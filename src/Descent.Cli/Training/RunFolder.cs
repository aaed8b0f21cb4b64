using System.Globalization;
using System.Text;
using System.Text.Json;
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

    /// <summary>
    /// Checks, before any training, that <paramref name="folder"/> can be written: it is not a file, and the folder it
    /// is (or the nearest existing folder above it) takes a new file. Throws an IOException naming the path and the reason.
    /// </summary>
    public static void CheckWritable(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (File.Exists(full))
            throw new IOException($"--out '{folder}': this is a file, not a folder; give a folder (it is created if needed).");
        string existing = full;
        while (!Directory.Exists(existing))
        {
            string? parent = Path.GetDirectoryName(existing);
            if (parent is null) break;
            if (File.Exists(parent))
                throw new IOException($"--out '{folder}': '{parent}' is a file, so no folder can be made inside it.");
            existing = parent;
        }
        // Only a real file tells: permissions, a read-only mount, a full disk or a file system like /proc all refuse here.
        string probe = Path.Combine(existing, $".descent-write-test-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e switch
            {
                UnauthorizedAccessException => "permission denied",
                DirectoryNotFoundException or FileNotFoundException => "files cannot be created there",
                _ => e.Message.Replace(probe, existing),
            };
            throw new IOException($"--out '{folder}': cannot write in '{existing}' ({reason}); nothing was trained. Give a folder you can write to.");
        }
    }

    /// <summary>
    /// Writes the model (with its metadata), history.csv, curves.png and, for image data, mistakes.png; returns the file
    /// names written and those of an earlier run in the same folder that this run did not write again, which are deleted.
    /// </summary>
    public static (IReadOnlyList<string> Written, IReadOnlyList<string> Removed) Write(TrainResult r, string folder)
    {
        var earlier = EarlierRunFiles(folder);
        var files = new List<string> { Nn.Models.Model.WeightsFile, Nn.Models.Model.ArchitectureFile, Nn.Models.Model.OptimizerFile, HistoryFile, CurvesFile };
        if (r.DatasetName == "digits") files.Add(MistakesFile);
        Directory.CreateDirectory(folder);
        var extras = new Dictionary<string, object?>
        {
            ["model_spec"] = r.Settings.Model.ToString(),
            ["optimizer"] = r.Settings.Optimizer,
            ["lr"] = r.Settings.LearningRate,
            ["seed"] = r.Settings.Seed,
            ["epochs"] = r.EpochsRun,
            ["test_accuracy"] = r.TestAccuracy,
            // What the next run into this folder may delete: the files this one wrote, and nothing else.
            [FilesKey] = files,
        };
        if (r.InterruptedEpoch is { } cut)
            extras["interrupted"] = $"Ctrl-C during epoch {cut} of {r.Settings.Epochs}; these are the weights after epoch {r.EpochsRun}";
        new ModelMetadata(r.DatasetName, TargetOf(r), r.Data.FeatureNames, r.Data.ClassNames, r.Scaler).WriteTo(r.Model, extras);
        r.Model.Save(folder);
        OutputFile.Write(Path.Combine(folder, HistoryFile), HistoryCsv(r.History), "history");
        var curves = TrainingCurvesPlot.Create(r.History, $"{r.Settings.Model} on {Path.GetFileName(r.DatasetName)}");
        OutputFile.Write(Path.Combine(folder, CurvesFile), curves.Render(CurvesWidth, CurvesHeight).GetImageBytes(ImageFormat.Png), "plot");
        if (r.DatasetName == "digits")
            PlotFile.SavePng(MistakesPlot.Create(Mistakes(r), 8, 16, r.Test.Rows), Path.Combine(folder, MistakesFile));

        var removed = earlier.Except(files).Where(name => File.Exists(Path.Combine(folder, name))).ToList();
        foreach (string name in removed) File.Delete(Path.Combine(folder, name));
        return (files, removed);
    }

    /// <summary>The key in model.json's metadata that lists the files a run wrote.</summary>
    public const string FilesKey = "files";

    // The files an earlier descent train run listed in its model.json. Only names train writes count, so that an edited
    // or foreign model.json can never make it delete anything else; a folder without that list loses nothing.
    private static IReadOnlyList<string> EarlierRunFiles(string folder)
    {
        string path = Path.Combine(folder, Nn.Models.Model.ArchitectureFile);
        if (!File.Exists(path)) return [];
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!json.RootElement.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
                || !metadata.TryGetProperty(FilesKey, out var list) || list.ValueKind != JsonValueKind.Array)
                return [];
            return list.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.String && WrittenByTrain.Contains(e.GetString()!))
                .Select(e => e.GetString()!).ToList();
        }
        catch (JsonException)
        {
            return []; // not ours to judge; it is overwritten like any model.json
        }
    }

    private static readonly string[] WrittenByTrain =
        [Nn.Models.Model.WeightsFile, Nn.Models.Model.ArchitectureFile, Nn.Models.Model.OptimizerFile, HistoryFile, CurvesFile, MistakesFile];

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
