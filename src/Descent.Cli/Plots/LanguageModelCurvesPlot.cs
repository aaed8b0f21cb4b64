using Descent.Cli.Training;
using ScottPlot;

namespace Descent.Cli.Plots;

/// <summary>A language model's losses by step: every step's training batch (a thin line), and the validation points.</summary>
internal static class LanguageModelCurvesPlot
{
    public static Plot Create(IReadOnlyList<double> stepLosses, IReadOnlyList<LanguageModelEvaluation> points, string title)
    {
        var plot = new Plot();
        // A diverged run logs NaN; each line stops at its first non-finite value.
        var train = stepLosses.TakeWhile(double.IsFinite).ToArray();
        var trainLine = plot.Add.ScatterLine(Enumerable.Range(1, train.Length).Select(s => (double)s).ToArray(), train);
        trainLine.LegendText = "training batch";
        trainLine.Color = Colors.Blue.WithAlpha(0.5);
        trainLine.LineWidth = 1;
        trainLine.MarkerSize = 0;
        var validation = points.TakeWhile(p => double.IsFinite(p.ValLoss)).ToArray();
        var validationLine = plot.Add.ScatterLine(validation.Select(p => (double)p.Step).ToArray(), validation.Select(p => p.ValLoss).ToArray());
        validationLine.LegendText = "validation";
        validationLine.Color = Colors.OrangeRed;
        validationLine.LineWidth = 2;
        validationLine.MarkerSize = 6;
        plot.Title(title, size: 14);
        plot.XLabel("step");
        plot.YLabel("loss (nats per character)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
