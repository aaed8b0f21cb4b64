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
}
