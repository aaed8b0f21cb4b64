using System.Globalization;
using System.Text.RegularExpressions;

namespace Descent.Nn.Tests.Readme;

/// <summary>
/// Compares what a program printed with the output its document shows. The words must be the same; numbers may
/// differ by <c>relativeTolerance</c>, since a document shows a training run's accuracy or loss as this
/// repository's machine printed it, and another processor's SIMD width can change the last bits. Exact values are
/// the unit tests' job.
/// </summary>
internal static partial class ShownOutput
{
    /// <summary>Null when <paramref name="printed"/> agrees with <paramref name="shown"/>; otherwise the first difference, in words.</summary>
    public static string? Difference(string shown, string printed, double relativeTolerance)
    {
        string[] expected = Lines(shown), actual = Lines(printed);
        for (int i = 0; i < Math.Max(expected.Length, actual.Length); i++)
        {
            if (i >= expected.Length) return $"line {i + 1} was printed but is not shown: \"{actual[i]}\"";
            if (i >= actual.Length) return $"line {i + 1} is shown but was not printed: \"{expected[i]}\"";
            if (NumberRegex().Replace(expected[i], "#") != NumberRegex().Replace(actual[i], "#"))
                return $"line {i + 1} reads \"{actual[i]}\"; the document shows \"{expected[i]}\"";
            var e = Numbers(expected[i]);
            var a = Numbers(actual[i]);
            for (int n = 0; n < e.Length; n++)
                if (!(Math.Abs(a[n] - e[n]) <= relativeTolerance * Math.Abs(e[n])))
                    return $"line {i + 1}: {a[n]} was printed where the document shows {e[n]}: \"{actual[i]}\"";
        }
        return null;
    }

    private static string[] Lines(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines.ToArray();
    }

    private static double[] Numbers(string line) =>
        NumberRegex().Matches(line).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();

    [GeneratedRegex(@"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")]
    private static partial Regex NumberRegex();
}
