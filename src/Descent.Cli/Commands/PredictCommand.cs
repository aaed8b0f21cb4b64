using System.CommandLine;
using System.Globalization;
using Descent.Cli.Training;
using Spectre.Console;

namespace Descent.Cli.Commands;

/// <summary><c>descent predict</c>: classify the rows of a CSV file with a model saved by <c>descent train</c>.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext cli)
    {
        var model = new Option<string>("--model") { Description = "A folder written by descent train (model.json, model.safetensors)", Required = true, HelpName = "DIR" };
        var input = new Option<string>("--input") { Description = "CSV file with the feature columns the model was trained on (a target column is used for accuracy)", Required = true, HelpName = "FILE.csv" };
        var delimiter = new Option<string>("--delimiter") { Description = "The character between fields of the CSV file: ',' (default), ';', '|' or '\\t' for a tab", DefaultValueFactory = _ => CsvDelimiter.Default, HelpName = "CHAR" };
        var deviceOption = DeviceChoice.Create();
        var command = new Command("predict", "Predict the class of each row of a CSV file with a trained model") { model, input, delimiter, deviceOption };
        command.SetAction(parseResult =>
        {
            var device = DeviceChoice.Open(parseResult.GetValue(deviceOption)!);
            PredictResult result;
            using (Device.Use(device))
                result = Predictor.Run(parseResult.GetValue(model)!, parseResult.GetValue(input)!, CsvDelimiter.Parse(parseResult.GetValue(delimiter)!));
            if (cli.IsJson(parseResult))
                cli.WriteJson(new Json(result.ModelFolder, result.Input, result.Metadata.ClassNames, result.Predictions, result.Accuracy, result.Warnings, device.ToString()));
            else
                Describe(cli.Console, result);
            return 0;
        });
        return command;
    }

    /// <summary>The <c>--json</c> document; docs/cli.md describes each field.</summary>
    private sealed record Json(string Model, string Input, IReadOnlyList<string> Classes, IReadOnlyList<Prediction> Predictions, double? Accuracy,
        IReadOnlyList<string> Warnings, string Device);

    private static void Describe(IAnsiConsole console, PredictResult r)
    {
        bool truth = r.Accuracy is not null;
        console.WriteLine($"Model {r.ModelFolder} (trained on {r.Metadata.Dataset}, {r.Metadata.FeatureNames.Count} features, classes {string.Join(", ", r.Metadata.ClassNames)}); {r.Predictions.Count} rows of {r.Input}.");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("row").RightAligned()).AddColumn("predicted").AddColumn(new TableColumn("probability").RightAligned());
        if (truth) table.AddColumn($"true ({Markup.Escape(r.Metadata.Target)})");
        foreach (var p in r.Predictions)
        {
            var cells = new List<string>
            {
                p.Row.ToString(CultureInfo.InvariantCulture), p.Class is null ? "[red]none[/]" : Markup.Escape(p.Class),
                p is { Probabilities: { } probabilities, Label: { } label } ? probabilities[label].ToString("0.0000", CultureInfo.InvariantCulture) : "not finite",
            };
            if (truth) cells.Add(p.TrueClass is { } t && t == p.Class ? Markup.Escape(t) : $"[red]{Markup.Escape(p.TrueClass ?? "")}[/]");
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
        if (r.Accuracy is { } accuracy)
            console.WriteLine($"Accuracy against the '{r.Metadata.Target}' column: {accuracy.ToString("0.00%", CultureInfo.InvariantCulture)} ({(int)Math.Round(accuracy * r.Predictions.Count)} of {r.Predictions.Count}).");
        foreach (string warning in r.Warnings)
            console.MarkupLine($"[yellow]Warning:[/] {Markup.Escape(warning)}");
    }
}
