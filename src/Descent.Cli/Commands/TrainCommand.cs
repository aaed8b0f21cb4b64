using System.CommandLine;
using System.Globalization;
using Descent.Cli.Training;
using Descent.Nn.Data;
using Spectre.Console;

namespace Descent.Cli.Commands;

/// <summary><c>descent train</c>: train a classifier on digits, iris or a CSV file, or a character language model on shakespeare (<see cref="TrainLanguageModel"/>); report it and save it with plots.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext cli)
    {
        var dataset = new Option<string>("--dataset") { Description = "digits, iris, a CSV file (with --target), or shakespeare (a character language model)", DefaultValueFactory = _ => "digits", HelpName = "digits|iris|shakespeare|PATH.csv" };
        var target = new Option<string?>("--target") { Description = "The class column of a CSV file; the features are the other numeric columns", HelpName = "COLUMN" };
        var model = new Option<string?>("--model") { Description = $"For tables: mlp:UNITS,... (dense ReLU layers, with --dropout) or cnn[:F1,F2] (two 3×3 convolutions; square images); default {ModelSpec.DefaultText}. For shakespeare: gpt (default) or lstm", HelpName = "SPEC" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training rows", DefaultValueFactory = _ => TrainSettings.DefaultEpochs };
        var batchSize = new Option<int?>("--batch-size") { Description = $"Rows per gradient step (default {TrainSettings.DefaultBatchSize}; {LanguageModelSettings.DefaultBatchSize} windows for shakespeare)" };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw, rmsprop, adagrad or sgd: the library's optimizers with their defaults (sgd: no momentum); shakespeare always trains with AdamW", DefaultValueFactory = _ => "adam" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default: 0.001 for adam, adamw and rmsprop; 0.05 for sgd; 0.01 for adagrad; shakespeare's peak 0.001)" };
        var seed = new Option<long>("--seed") { Description = "Fixes the split, the initial weights and the shuffling (or the windows)", DefaultValueFactory = _ => TrainSettings.DefaultSeed };
        var validationSplit = new Option<double?>("--validation-split") { Description = $"Fraction of the training rows held out to validate each epoch, 0 for none (default {TrainSettings.DefaultValidationSplit})" };
        var earlyStopping = new Option<int?>("--early-stopping") { Description = "Stop after N epochs without a better val_loss and keep the best weights", HelpName = "N" };
        var dropout = new Option<double?>("--dropout") { Description = $"Dropout rate after each hidden layer of an mlp (default {TrainSettings.DefaultDropout}), or in every block of the gpt (default {LanguageModelSettings.DefaultDropout}); 0 for none" };
        var steps = new Option<int>("--steps") { Description = "shakespeare: gradient steps", DefaultValueFactory = _ => LanguageModelSettings.DefaultSteps };
        var layers = new Option<int>("--layers") { Description = "shakespeare: transformer blocks", DefaultValueFactory = _ => LanguageModelSettings.DefaultLayers };
        var heads = new Option<int>("--heads") { Description = "shakespeare: attention heads per block", DefaultValueFactory = _ => LanguageModelSettings.DefaultHeads };
        var width = new Option<int>("--width") { Description = "shakespeare: the model width (embedding size)", DefaultValueFactory = _ => LanguageModelSettings.DefaultWidth };
        var context = new Option<int>("--context") { Description = "shakespeare: characters per training window, the longest the model reads", DefaultValueFactory = _ => LanguageModelSettings.DefaultContext };
        var output = new Option<string?>("--out") { Description = "Output folder (default runs/<timestamp>); files an earlier run wrote there are replaced or removed", HelpName = "DIR" };
        var ignore = new Option<string?>("--ignore") { Description = "Columns of a CSV file to leave out of the features (an id, a row number)", HelpName = "COLUMN,..." };
        var delimiter = new Option<string>("--delimiter") { Description = "The character between fields of a CSV file: ',' (default), ';', '|' or '\\t' for a tab", DefaultValueFactory = _ => CsvDelimiter.Default, HelpName = "CHAR" };
        var deviceOption = DeviceChoice.Create();

        var command = new Command("train", "Train a classifier on a table, or a character language model on shakespeare, and save it with its history and plots")
        {
            dataset, target, model, epochs, batchSize, optimizer, lr, seed, validationSplit, earlyStopping, dropout, steps, layers, heads, width, context,
            output, ignore, delimiter, deviceOption,
        };
        command.SetAction(parseResult =>
        {
            bool json = cli.IsJson(parseResult);
            string folder = parseResult.GetValue(output) ?? RunFolder.DefaultPath(DateTime.Now);
            bool Given(Option option) => parseResult.GetResult(option) is { Implicit: false };
            if (string.Equals(parseResult.GetValue(dataset), LanguageModelSettings.Dataset, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var option in new Option[] { target, epochs, optimizer, validationSplit, earlyStopping, ignore, delimiter })
                    if (Given(option))
                        throw new ArgumentException($"{option.Name} is for the classifiers; --dataset {LanguageModelSettings.Dataset} trains a language model for --steps with AdamW.");
                string lmModel = (parseResult.GetValue(model) ?? "gpt").Trim().ToLowerInvariant();
                if (lmModel == "lstm" && Given(heads))
                    throw new ArgumentException("--heads is for --model gpt; an lstm has no attention heads.");
                int lmLayers = lmModel == "lstm" && !Given(layers) ? LanguageModelSettings.DefaultLstmLayers : parseResult.GetValue(layers);
                var lmSettings = LanguageModelSettings.Check(lmModel, parseResult.GetValue(steps), lmLayers,
                    parseResult.GetValue(heads), parseResult.GetValue(width), parseResult.GetValue(context),
                    parseResult.GetValue(batchSize) ?? LanguageModelSettings.DefaultBatchSize, parseResult.GetValue(lr) ?? LanguageModelSettings.DefaultLearningRate,
                    parseResult.GetValue(seed), parseResult.GetValue(dropout) ?? LanguageModelSettings.DefaultDropout);
                // Before any training: a run that cannot be saved is not worth starting.
                RunFolder.CheckWritable(folder);
                var lmDevice = DeviceChoice.Open(parseResult.GetValue(deviceOption)!);
                // Every tensor the run creates (windows, weights, optimizer state) lands on the device.
                using (Device.Use(lmDevice))
                    return TrainLanguageModel.Run(cli, lmSettings, folder, json);
            }
            foreach (var option in new Option[] { steps, layers, heads, width, context })
                if (Given(option))
                    throw new ArgumentException($"{option.Name} is for --dataset {LanguageModelSettings.Dataset}; the classifiers train for --epochs.");
            var settings = Check(parseResult.GetValue(dataset)!, parseResult.GetValue(target), parseResult.GetValue(model) ?? ModelSpec.DefaultText,
                parseResult.GetValue(epochs), parseResult.GetValue(batchSize) ?? TrainSettings.DefaultBatchSize, parseResult.GetValue(optimizer)!, parseResult.GetValue(lr),
                parseResult.GetValue(seed), parseResult.GetValue(validationSplit), parseResult.GetValue(earlyStopping), parseResult.GetValue(dropout) ?? TrainSettings.DefaultDropout,
                parseResult.GetValue(ignore), parseResult.GetValue(delimiter)!);
            // Before any training: a run that cannot be saved is not worth starting.
            RunFolder.CheckWritable(folder);
            bool defaultSplit = parseResult.GetValue(validationSplit) is null;
            var device = DeviceChoice.Open(parseResult.GetValue(deviceOption)!);
            TrainResult result;
            IReadOnlyList<string> files, removed;
            // Every tensor the run creates (data, weights, optimizer state) lands on the device; files are read back from it.
            using (Device.Use(device))
            {
                result = Trainer.Run(settings, cli.Out, verbose: json ? 0 : 1,
                    starting: json ? null : loaded => Header(cli.Console, settings, defaultSplit, loaded, device), interrupts: cli.Interrupts);
                (files, removed) = RunFolder.Write(result, folder);
            }
            if (json) cli.WriteJson(ToJson(result, folder, files, removed, device));
            else Describe(cli.Console, result, folder, files, removed);
            return result.Interrupted ? Program.ExitInterrupted : 0;
        });
        return command;
    }

    /// <summary>Checks every option; a bad one is an ArgumentException, so one line and exit 2.</summary>
    internal static TrainSettings Check(string dataset, string? target, string model, int epochs, int batchSize, string optimizer,
        double? lr, long seed, double? validationSplit, int? earlyStopping, double dropout = TrainSettings.DefaultDropout,
        string? ignore = null, string delimiter = CsvDelimiter.Default)
    {
        if (epochs is < 1 or > 100_000) throw new ArgumentException($"--epochs must be between 1 and 100000, got {epochs}.");
        if (batchSize is < 1 or > 1_000_000) throw new ArgumentException($"--batch-size must be between 1 and 1000000, got {batchSize}.");
        optimizer = optimizer.ToLowerInvariant();
        if (!TrainSettings.Optimizers.Contains(optimizer))
            throw new ArgumentException($"--optimizer '{optimizer}': unknown; use one of {string.Join(", ", TrainSettings.Optimizers)}.");
        if (lr is { } rate && !(rate > 0 && double.IsFinite(rate)))
            throw new ArgumentException($"--lr must be a positive number, got {rate.ToString(CultureInfo.InvariantCulture)}.");
        double split = validationSplit ?? TrainSettings.DefaultValidationSplit;
        if (!(split >= 0 && split < 1))
            throw new ArgumentException($"--validation-split must be at least 0 and below 1, got {split.ToString(CultureInfo.InvariantCulture)}.");
        if (earlyStopping is < 0) throw new ArgumentException($"--early-stopping must be a patience of 0 epochs or more, got {earlyStopping}.");
        if (earlyStopping is not null && split == 0)
            throw new ArgumentException("--early-stopping watches the validation loss, so it needs --validation-split above 0 (leave the option out for the default 0.1).");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentException($"--dropout must be at least 0 and below 1, got {dropout.ToString(CultureInfo.InvariantCulture)}.");
        var ignored = ignore?.Split(',', StringSplitOptions.TrimEntries) ?? [];
        if (ignored.Any(name => name.Length == 0))
            throw new ArgumentException($"--ignore '{ignore}': give column names separated by commas, e.g. --ignore id,name.");
        return new TrainSettings(dataset, target, ModelSpec.Parse(model), epochs, batchSize, optimizer,
            lr ?? TrainSettings.DefaultLearningRate(optimizer), seed, split, earlyStopping, dropout, ignored.Distinct().ToArray(), CsvDelimiter.Parse(delimiter));
    }

    /// <summary>The <c>--json</c> document; docs/cli.md describes each field.</summary>
    private sealed record Json(
        string Dataset, string Model, double TestAccuracy, double? TestLoss, int Epochs, double TrainSeconds, string Out,
        int EpochsRequested, int? StoppedEpoch, int? BestEpoch, bool Interrupted, int? InterruptedEpoch,
        string Optimizer, double Lr, int BatchSize, long Seed,
        double ValidationSplit, int? EarlyStopping, double Dropout, int TrainRows, int ValidationRows, int TestRows,
        IReadOnlyList<string> Features, IReadOnlyList<string> SkippedColumns, IReadOnlyList<string> IgnoredColumns,
        IReadOnlyList<string> Classes, int[][] ConfusionMatrix, IReadOnlyList<ClassJson> PerClass, IReadOnlyList<string> Files,
        IReadOnlyList<string> RemovedFiles, IReadOnlyList<string> Warnings, string Device);

    private sealed record ClassJson(string Class, double? Precision, double? Recall, int Support);

    private static Json ToJson(TrainResult r, string folder, IReadOnlyList<string> files, IReadOnlyList<string> removed, Device device)
    {
        var s = r.Settings;
        var confusion = r.Confusion;
        return new Json(r.DatasetName, s.Model.ToString(), r.TestAccuracy, double.IsFinite(r.TestLoss) ? r.TestLoss : null, r.EpochsRun,
            Math.Round(r.TrainSeconds, 3), folder, s.Epochs, r.StoppedEpoch, r.BestEpoch, r.Interrupted, r.InterruptedEpoch,
            s.Optimizer, s.LearningRate, s.BatchSize, s.Seed,
            s.ValidationSplit, s.EarlyStopping, s.Dropout, r.TrainRows, r.ValidationRows, r.Test.Rows,
            r.Data.FeatureNames, r.SkippedColumns, r.IgnoredColumns, r.Data.ClassNames, confusion.ToRows(),
            r.Data.ClassNames.Select((name, c) => new ClassJson(name, confusion.Precision(c), confusion.Recall(c), confusion.Support(c))).ToArray(),
            files, removed, r.Warnings, device.ToString());
    }

    private static void Header(IAnsiConsole console, TrainSettings s, bool defaultSplit, DatasetChoice.Loaded loaded, Device device)
    {
        string dropout = s.Model.Kind == "mlp" && s.Dropout > 0 ? $", dropout {F(s.Dropout)}" : "";
        string where = device == Device.Cpu ? "" : $" on {device}";
        console.WriteLine($"Training {s.Model}{dropout} on {DatasetChoice.NameOf(s.Dataset)}{where}: {s.Optimizer}, lr {F(s.LearningRate)}, batch {s.BatchSize}, {s.Epochs} epochs, seed {s.Seed}.");
        console.WriteLine($"Test rows: {F(TrainSettings.TestFraction * 100)}% of each class, held out. Validation: " +
            (s.ValidationSplit == 0 ? "none." : $"the last {F(s.ValidationSplit)} of the training rows{(defaultSplit ? " (the default --validation-split)" : "")}."));
        if (s.EarlyStopping is { } patience)
            console.WriteLine($"Early stopping: after {patience} epoch{(patience == 1 ? "" : "s")} without a lower val_loss; the best epoch's weights are kept.");
        // The columns the model will learn from, before it does: an id or a leaked column is caught here, not after the run.
        var features = loaded.Data.FeatureNames;
        console.WriteLine(features.Count <= 12
            ? $"Features ({features.Count}): {string.Join(", ", features)}."
            : $"Features ({features.Count}): {string.Join(", ", features.Take(6))}, …, {string.Join(", ", features.TakeLast(3))}.");
        if (loaded.Skipped.Count > 0)
            console.WriteLine($"Left out (not numbers): {string.Join(", ", loaded.Skipped)}.");
        if (loaded.Ignored.Count > 0)
            console.WriteLine($"Left out (--ignore): {string.Join(", ", loaded.Ignored)}.");
        foreach (string warning in loaded.Warnings)
            console.WriteLine($"Warning: {warning}");
        console.WriteLine();
    }

    private static void Describe(IAnsiConsole console, TrainResult r, string folder, IReadOnlyList<string> files, IReadOnlyList<string> removed)
    {
        console.WriteLine();
        console.Write(new Text(r.Model.GetSummary()));
        console.WriteLine();
        string data = $"{r.Data.Rows} rows ({r.TrainRows} training, {r.ValidationRows} validation, {r.Test.Rows} test), {r.Data.Columns} features, {r.Data.ClassCount} classes";
        console.WriteLine($"Data: {data}; {(r.Scaler is MinMaxScaler ? "pixels scaled by 1/16" : "features standardized with the training rows' mean and std")}.");
        string stopped = r.StoppedEpoch is { } e ? $" (stopped early after epoch {e}; weights of epoch {r.BestEpoch} restored)" : "";
        if (r.InterruptedEpoch is { } cut)
            console.MarkupLine($"[yellow]Interrupted (Ctrl-C) during epoch {cut}:[/] kept the weights after epoch {r.EpochsRun}, the last one that finished, trained in {r.TrainSeconds.ToString("F2", CultureInfo.InvariantCulture)} s.");
        else
            console.WriteLine($"Trained {r.EpochsRun} epochs in {r.TrainSeconds.ToString("F2", CultureInfo.InvariantCulture)} s{stopped}.");
        int correct = (int)Math.Round(r.TestAccuracy * r.Test.Rows);
        console.MarkupLine($"[bold]Test loss {Number(r.TestLoss)}, test accuracy {r.TestAccuracy.ToString("0.00%", CultureInfo.InvariantCulture)}[/] ({correct} of {r.Test.Rows} right).");
        console.WriteLine();

        var confusion = r.Confusion;
        var names = r.Data.ClassNames;
        var matrix = new Table().Border(TableBorder.Rounded).Title("Confusion matrix (rows: true class, columns: predicted)");
        matrix.AddColumn("true \\ predicted");
        foreach (string name in names) matrix.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        for (int t = 0; t < names.Count; t++)
            matrix.AddRow([Markup.Escape(names[t]), .. Enumerable.Range(0, names.Count).Select(p =>
                confusion.Counts[t, p] == 0 ? "[grey]·[/]" : t == p ? $"[green]{confusion.Counts[t, p]}[/]" : $"[red]{confusion.Counts[t, p]}[/]")]);
        console.Write(matrix);

        var perClass = new Table().Border(TableBorder.Rounded).Title("Per class, on the test rows")
            .AddColumn("class").AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("support").RightAligned());
        for (int c = 0; c < names.Count; c++)
            perClass.AddRow(Markup.Escape(names[c]), Percent(confusion.Precision(c)), Percent(confusion.Recall(c)), confusion.Support(c).ToString(CultureInfo.InvariantCulture));
        console.Write(perClass);
        console.WriteLine($"Wrote {string.Join(", ", files)} to {folder}{Path.DirectorySeparatorChar}" +
            (r.Interrupted ? " (model.json says it was interrupted)." : "."));
        if (removed.Count > 0)
            console.WriteLine($"Removed {string.Join(", ", removed)}, left there by an earlier run and not written by this one.");
    }

    private static string Percent(double? value) => value is { } v ? v.ToString("0.0%", CultureInfo.InvariantCulture) : "–";

    private static string Number(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
