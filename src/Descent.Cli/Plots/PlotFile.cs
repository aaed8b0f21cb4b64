using ScottPlot;

namespace Descent.Cli.Plots;

/// <summary>Saves plots as PNG files the way every save in Descent works: write a temporary file
/// beside the target, then rename it, so a crash never leaves half an image.</summary>
internal static class PlotFile
{
    public const int Width = 800;
    public const int Height = 600;

    public static void SavePng(Plot plot, string path)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"Cannot write plot '{path}': directory '{dir}' does not exist.");
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        string temp = full + ".tmp";
        File.WriteAllBytes(temp, png);
        File.Move(temp, full, overwrite: true);
    }
}
