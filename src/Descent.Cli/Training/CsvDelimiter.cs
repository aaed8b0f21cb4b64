using Descent.Nn.Data;

namespace Descent.Cli.Training;

/// <summary>The <c>--delimiter</c> option: the character between the fields of a CSV file.</summary>
internal static class CsvDelimiter
{
    public const string Default = ",";

    /// <summary>
    /// The delimiter <paramref name="text"/> names: one character such as ';' or '|', or "\t" (typed as a backslash and
    /// a t) or "tab" for a tab; anything that cannot separate fields is an ArgumentException.
    /// </summary>
    public static string Parse(string text)
    {
        string delimiter = text is "\\t" or "tab" ? "\t" : text;
        if (delimiter.Length != 1 || delimiter is "\"" or "\n" or "\r" or " " || char.IsAsciiLetterOrDigit(delimiter[0]) || delimiter is "." or "-")
            throw new ArgumentException($"--delimiter '{text}': give the one character between fields, such as ';', '|' or '\\t' (a tab); " +
                "it cannot be a letter, a digit, '.', '-', a space or a quote, which appear inside values.");
        return delimiter;
    }

    /// <summary>The field separators a header that did not split is checked for, to suggest --delimiter.</summary>
    private static readonly string[] OtherDelimiters = [";", "\t", "|", ","];

    /// <summary>
    /// When <paramref name="table"/>'s header is a single column holding another separator ("a;b;label" read with ','),
    /// the --delimiter to try, as a clause for an error message; else "".
    /// </summary>
    public static string Hint(CsvTable table)
    {
        if (table.Header.Count != 1) return "";
        string header = table.Header[0];
        string? other = OtherDelimiters.FirstOrDefault(d => header.Contains(d, StringComparison.Ordinal));
        if (other is null) return "";
        string typed = other == "\t" ? "\\t" : other; // what to type: a backslash and a t
        return $" (the header is one column, '{header.Replace("\t", "\\t")}'; if the fields are separated by '{typed}', pass --delimiter '{typed}')";
    }
}
