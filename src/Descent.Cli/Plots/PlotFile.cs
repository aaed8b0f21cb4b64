using ScottPlot;

namespace Descent.Cli.Plots;

/// <summary>Saves plots as PNG files of one size, through <see cref="OutputFile"/>.</summary>
internal static class PlotFile
{
    public const int Width = 800;
    public const int Height = 600;

    public static void SavePng(Plot plot, string path) =>
        OutputFile.Write(path, plot.GetImageBytes(Width, Height, ImageFormat.Png), "plot");
}
