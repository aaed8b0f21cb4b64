using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Descent.Nn.Data;

/// <summary>
/// A CSV file as text: its header and each data row with its 1-based line in the file, read once and then taken
/// apart by column name. <see cref="CsvLoader"/> turns a table into <see cref="TabularData"/>; the descent tool reads
/// its training and prediction files through this class too. Bad files throw <see cref="InvalidDataException"/>
/// naming the file, the line and, where there is one, the column.
/// </summary>
public sealed class CsvTable
{
    private readonly string[] _header;

    private CsvTable(string source, string[] header, int headerLine, List<string[]> rows, List<int> lines)
    {
        (Source, _header, HeaderLine, Rows, Lines) = (source, header, headerLine, rows, lines);
    }

    /// <summary>The file path, or the name given to <see cref="Read(Stream, string, string)"/>; errors start with it.</summary>
    public string Source { get; }

    /// <summary>The column names, in file order; no name appears twice.</summary>
    public IReadOnlyList<string> Header => _header;

    /// <summary>The 1-based file line of the header.</summary>
    public int HeaderLine { get; }

    /// <summary>The data rows, each with one trimmed field per header column.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    /// <summary>The 1-based file line of each data row, for error messages about its values.</summary>
    public IReadOnlyList<int> Lines { get; }

    /// <summary>
    /// Reads the CSV file at <paramref name="path"/>. A missing file is a <see cref="FileNotFoundException"/>; an empty
    /// file, a header naming a column twice, a row of the wrong width or malformed quoting is an
    /// <see cref="InvalidDataException"/> naming the file and line. <paramref name="delimiter"/> separates the fields (";" for
    /// files from a spreadsheet in a comma-decimal locale, "\t" for tab-separated ones); numbers always use '.'.
    /// </summary>
    public static CsvTable Read(string path, string delimiter = ",")
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        CheckDelimiter(delimiter); // a bad delimiter is the caller's error, found before the file is opened
        using var stream = File.OpenRead(path);
        return Read(stream, path, delimiter);
    }

    /// <summary>Reads CSV text from <paramref name="stream"/> (left open); <paramref name="sourceName"/> names it in errors.</summary>
    public static CsvTable Read(Stream stream, string sourceName, string delimiter = ",")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        var config = CheckDelimiter(delimiter);
        using var reader = new StreamReader(stream, leaveOpen: true);
        using var parser = new CsvParser(reader, config);
        try
        {
            if (!parser.Read())
                throw Error(sourceName, 1, null, "the file is empty; a header line is required");
            string[] header = parser.Record!;
            int headerLine = parser.RawRow;
            for (int c = 0; c < header.Length; c++)
                if (Array.IndexOf(header, header[c]) != c)
                    throw Error(sourceName, headerLine, header[c], "the header names this column twice");
            var rows = new List<string[]>();
            var lines = new List<int>();
            while (parser.Read())
            {
                if (parser.Count != header.Length)
                    throw Error(sourceName, parser.RawRow, header[Math.Min(parser.Count, header.Length) - 1],
                        $"the row has {parser.Count} fields but the header has {header.Length}" +
                        (parser.Count < header.Length ? $" (first missing column '{header[parser.Count]}')" : ""));
                rows.Add(parser.Record!);
                lines.Add(parser.RawRow);
            }
            return new CsvTable(sourceName, header, headerLine, rows, lines);
        }
        catch (CsvHelperException e)
        {
            // Malformed quoting and the like: reported in the same shape as our own errors.
            throw Error(sourceName, parser.RawRow, null, $"malformed CSV ({e.Message.Split('\n')[0].Trim()})");
        }
    }

    /// <summary>Whether the header has a column named <paramref name="name"/> (case-sensitive).</summary>
    public bool HasColumn(string name) => Array.IndexOf(_header, name) >= 0;

    /// <summary>The position of column <paramref name="name"/>; a missing one is an error listing the columns there are.</summary>
    public int ColumnIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int index = Array.IndexOf(_header, name);
        return index >= 0
            ? index
            : throw Error(Source, HeaderLine, name, $"no such column; the columns are {string.Join(", ", _header.Select(h => $"'{h}'"))}");
    }

    /// <summary>
    /// The values of <paramref name="columns"/> in every row, row-major as floats. A missing column, or a value that
    /// is not a finite number, is an <see cref="InvalidDataException"/> naming the line and column.
    /// </summary>
    public float[] Features(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var indices = columns.Select(ColumnIndex).ToArray();
        var values = new float[Rows.Count * indices.Length];
        for (int r = 0; r < Rows.Count; r++)
            for (int c = 0; c < indices.Length; c++)
            {
                string text = Rows[r][indices[c]];
                if (!TryParseNumber(text, out values[r * indices.Length + c]))
                    throw Error(Source, Lines[r], columns[c], $"the feature value '{text}' is not a finite number");
            }
        return values;
    }

    /// <summary>Whether <paramref name="text"/> reads as a finite number (invariant culture), as features must.</summary>
    public static bool IsNumber(string text) => TryParseNumber(text, out _);

    /// <summary>How fields are read: <paramref name="delimiter"/> between fields, quotes as RFC 4180, spaces around a field trimmed.</summary>
    internal static CsvConfiguration CheckDelimiter(string delimiter)
    {
        ArgumentNullException.ThrowIfNull(delimiter);
        if (delimiter.Length == 0 || delimiter.Contains('"') || delimiter.Contains('\n') || delimiter.Contains('\r'))
            throw new ArgumentException($"CsvLoader: the delimiter '{delimiter}' cannot separate fields; use a character such as ',', ';' or a tab.", nameof(delimiter));
        return new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, Delimiter = delimiter };
    }

    internal static bool TryParseNumber(string text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    /// <summary>"source, line N, column 'c': problem." — the shape of every error about a CSV file's content.</summary>
    internal static InvalidDataException Error(string source, int line, string? column, string problem) =>
        new($"{source}, line {line}{(column is null ? "" : $", column '{column}'")}: {problem}.");
}
