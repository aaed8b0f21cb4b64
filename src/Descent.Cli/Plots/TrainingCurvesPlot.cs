using Descent.Nn.Training;
using ScottPlot;

namespace Descent.Cli.Plots;

/// <summary>Loss and accuracy by epoch, training and validation, in two plots side by side.</summary>
internal static class TrainingCurvesPlot
{
    public static Multiplot Create(History history, string title)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Fill(multiplot.GetPlot(0), history, "loss", $"Loss — {title}", Alignment.UpperRight);
        Fill(multiplot.GetPlot(1), history, "accuracy", $"Accuracy — {title}", Alignment.LowerRight);
        return multiplot;
    }

    private static void Fill(Plot plot, History history, string metric, string title, Alignment legend)
    {
        double[] epochs = history.Epochs.Select(e => e + 1.0).ToArray();
        foreach (var (name, label, color) in new[] { (metric, "training", Colors.Blue), ("val_" + metric, "validation", Colors.OrangeRed) })
        {
            if (!history.Values.TryGetValue(name, out var values)) continue;
            // A diverged run logs NaN; ScottPlot skips nothing, so cut the line at the first non-finite value.
            var ys = values.TakeWhile(double.IsFinite).ToArray();
            var line = plot.Add.ScatterLine(epochs[..ys.Length], ys);
            line.LegendText = label;
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = epochs.Length <= 30 ? 5 : 0;
        }
        plot.Title(title, size: 14);
        plot.XLabel("epoch");
        plot.YLabel(metric);
        plot.ShowLegend(legend);
    }
}
