using Spectre.Console;

namespace Descent.Nn.Models;

/// <summary>Renders Keras's model.summary() table as plain text.</summary>
internal static class ModelSummary
{
    public static string Render(Model model)
    {
        var unbuilt = model.Layers.FirstOrDefault(l => !l.Built);
        if (unbuilt is not null)
            throw new InvalidOperationException($"{model.Name}.Summary: layer '{unbuilt.Name}' is not built yet; call Build(inputShape) or pass inputShape first.");

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Layer (type)").AddColumn("Output Shape").AddColumn(new TableColumn("Param #").RightAligned());
        foreach (var layer in model.Layers)
        {
            var output = layer.ComputeOutputShape(layer.InputShape!);
            table.AddRow(
                new Text($"{layer.Name} ({layer.GetType().Name})"),
                new Text($"(None, {string.Join(", ", output)})"),
                new Text(Model.CountParams(layer.Variables).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
        }

        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 100;
        console.WriteLine($"Model: \"{model.Name}\"");
        console.Write(table);
        long trainable = Model.CountParams(model.TrainableVariables), other = Model.CountParams(model.NonTrainableVariables);
        console.WriteLine($" Total params: {trainable + other:N0}");
        console.WriteLine($" Trainable params: {trainable:N0}");
        console.WriteLine($" Non-trainable params: {other:N0}");
        return writer.ToString();
    }
}
