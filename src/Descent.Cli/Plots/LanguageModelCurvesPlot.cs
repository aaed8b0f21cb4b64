using Descent.Cli.Training;
using ScottPlot;

namespace Descent.Cli.Plots;

/// <summary>A language model's training loss (mean over each stretch of steps) and validation loss, by step.</summary>
internal static class LanguageModelCurvesPlot
{
    public static Plot Create(IReadOnlyList<LanguageModelEvaluation> points, string title)
    {
        var plot = new Plot();
        double[] steps = points.Select(p => (double)p.Step).ToArray();
        foreach (var (values, label, color) in new[]
        {
            (points.Select(p => p.TrainLoss).ToArray(), "training (mean since the last point)", Colors.Blue),
            (points.Select(p => p.ValLoss).ToArray(), "validation", Colors.OrangeRed),
        })
        {
            // A diverged run logs NaN; cut the line at the first non-finite value.
            var ys = values.TakeWhile(double.IsFinite).ToArray();
            var line = plot.Add.ScatterLine(steps[..ys.Length], ys);
            line.LegendText = label;
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 5;
        }
        plot.Title(title, size: 14);
        plot.XLabel("step");
        plot.YLabel("loss (nats per character)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
