using Descent.Cli.Demos;
using ScottPlot;

namespace Descent.Cli.Plots;

/// <summary>The parabola y = 3x² + 2x + 1 with the path of x drawn on it.</summary>
internal static class GradientDescentPlot
{
    // A diverging path grows geometrically; past this many times its starting distance the
    // parabola would flatten the first steps into a line at the bottom, so later points are cut.
    private const double MaxDistanceGrowth = 100;

    public static Plot Create(GradientDescentResult result)
    {
        double start = Math.Abs(result.X0 - GradientDescentDemo.MinimumX) + 1;
        var path = result.History
            .TakeWhile(s => Math.Abs(s.X - GradientDescentDemo.MinimumX) <= MaxDistanceGrowth * start)
            .ToArray();
        double[] pathX = path.Select(s => s.X).ToArray();
        double[] pathY = path.Select(s => s.Y).ToArray();

        double lo = Math.Min(pathX.Min(), GradientDescentDemo.MinimumX);
        double hi = Math.Max(pathX.Max(), GradientDescentDemo.MinimumX);
        double margin = Math.Max((hi - lo) * 0.1, 1);
        double[] curveX = Enumerable.Range(0, 401).Select(i => lo - margin + (hi - lo + 2 * margin) * i / 400).ToArray();
        double[] curveY = curveX.Select(GradientDescentDemo.F).ToArray();

        var plot = new Plot();
        var curve = plot.Add.ScatterLine(curveX, curveY);
        curve.LegendText = "y = 3x² + 2x + 1";
        curve.LineWidth = 2;
        var steps = plot.Add.Scatter(pathX, pathY);
        steps.LegendText = "path of x";
        steps.MarkerSize = 7;
        steps.Color = Colors.OrangeRed;
        var minimum = plot.Add.Marker(GradientDescentDemo.MinimumX, GradientDescentDemo.MinimumY);
        minimum.LegendText = "minimum (-1/3, 2/3)";
        minimum.Color = Colors.Green;
        minimum.Size = 12;

        string shown = path.Length < result.History.Count ? $", first {path.Length - 1} of {result.Iterations} steps" : $", {result.Iterations} steps";
        plot.Title($"Gradient descent from x0 = {result.X0:R}, lr = {result.LearningRate:R}{shown}");
        plot.XLabel("x");
        plot.YLabel("y = f(x)");
        // Upper centre is the one corner-free spot the parabola never reaches.
        plot.ShowLegend(Alignment.UpperCenter);
        return plot;
    }
}
