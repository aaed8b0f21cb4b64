using ScottPlot;

namespace Descent.Cli.Plots;

/// <summary>
/// A grid of misclassified square grayscale images (the digits' 8×8 pixel counts), each with "true → predicted"
/// under it, as heatmaps in one plot with the axes hidden.
/// </summary>
internal static class MistakesPlot
{
    public const int Columns = 10;
    public const int MaxImages = 40;

    /// <summary>
    /// <paramref name="images"/> are row-major pixel rows of <paramref name="side"/>² values between 0 and
    /// <paramref name="maxValue"/>; the first <see cref="MaxImages"/> are drawn, and the title says how many there are.
    /// </summary>
    public static Plot Create(IReadOnlyList<(float[] Pixels, string Label)> images, int side, double maxValue, int testRows)
    {
        var plot = new Plot();
        plot.HideGrid();
        plot.Axes.Frameless();
        int shown = Math.Min(images.Count, MaxImages);
        const double cell = 1.0, gap = 0.45; // image size and the room under it for the label, in image widths
        for (int i = 0; i < shown; i++)
        {
            int row = i / Columns, column = i % Columns;
            var intensities = new double[side, side];
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                    intensities[y, x] = images[i].Pixels[y * side + x];
            double left = column * (cell + 0.2), top = -row * (cell + gap);
            var heatmap = plot.Add.Heatmap(intensities);
            heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
            heatmap.ManualRange = new ScottPlot.Range(0, maxValue);
            heatmap.Extent = new CoordinateRect(left, left + cell, top - cell, top);
            var text = plot.Add.Text(images[i].Label, left + cell / 2, top - cell - 0.05);
            text.LabelAlignment = Alignment.UpperCenter;
            text.LabelFontSize = 15;
        }
        int rows = Math.Max(1, (shown + Columns - 1) / Columns);
        plot.Axes.SetLimits(-0.3, Columns * (cell + 0.2), -Math.Max(rows, MaxImages / Columns) * (cell + gap) - 0.1, 0.1);
        plot.Axes.SquareUnits(); // square pixels, whatever the image size
        plot.Title(images.Count == 0 ? $"No mistakes on the {testRows} test images"
            : shown < images.Count ? $"{images.Count} of {testRows} test images misclassified (first {shown} shown): true → predicted"
            : $"{images.Count} of {testRows} test images misclassified: true → predicted");
        return plot;
    }
}
