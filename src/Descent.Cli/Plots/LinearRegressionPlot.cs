using Descent.Cli.Demos;
using ScottPlot;

namespace Descent.Cli.Plots;

/// <summary>The five points, the line SGD reached, and the least-squares line it is heading for.</summary>
internal static class LinearRegressionPlot
{
    public static Plot Create(LinearRegressionResult result)
    {
        double[] xs = LinearRegressionDemo.X.Select(v => (double)v).ToArray();
        double[] ys = LinearRegressionDemo.Y.Select(v => (double)v).ToArray();
        double[] ends = [-0.05, 1.05];

        var plot = new Plot();
        var fitted = plot.Add.ScatterLine(ends, ends.Select(x => result.A * x + result.B).ToArray());
        fitted.LegendText = $"SGD after {result.EpochsRun} epochs: y = {result.A:G4}x + {result.B:G4}";
        fitted.LineWidth = 2;
        fitted.Color = Colors.OrangeRed;
        var best = plot.Add.ScatterLine(ends, ends.Select(x => result.LeastSquaresA * x + result.LeastSquaresB).ToArray());
        best.LegendText = $"least squares: y = {result.LeastSquaresA:G4}x + {result.LeastSquaresB:G4}";
        best.LineWidth = 2;
        best.LinePattern = LinePattern.Dashed;
        best.Color = Colors.Green;
        var points = plot.Add.ScatterPoints(xs, ys);
        points.LegendText = "data (X, y)";
        points.MarkerSize = 10;
        points.Color = Colors.Blue;

        plot.Title($"Linear regression by SGD, lr = {result.LearningRate:R}, {result.EpochsRun} epochs");
        plot.XLabel("X");
        plot.YLabel("y");
        plot.ShowLegend(Alignment.UpperLeft);
        // Fixed on the data, so that a diverged line (slope 1e18) leaves the points readable.
        plot.Axes.SetLimits(-0.1, 1.1, -0.15, 1.25);
        return plot;
    }
}
