using SkiaSharp;

namespace Descent.Cli.Tests;

/// <summary>Checks a PNG the CLI wrote: it decodes, at the size every plot has (or the size given).</summary>
internal static class Png
{
    public static void AssertReadable(string path) => AssertReadable(path, Plots.PlotFile.Width, Plots.PlotFile.Height);

    public static void AssertReadable(string path, int width, int height)
    {
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        // A blank canvas would decode too: demand more than a few distinct colours.
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 7)
            for (int x = 0; x < bitmap.Width; x += 7)
                colours.Add(bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 5, $"only {colours.Count} colours: the plot looks empty");
    }
}
