using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Descent.Cli.Training;

/// <summary>A CSV file as text: its header and each data row with its 1-based file line, for choosing and reading columns by name.</summary>
internal sealed class CsvTable
{
    /// <summary>The field separators a header that did not split is checked for, to suggest --delimiter.</summary>
    private static readonly string[] OtherDelimiters = [";", "\t", "|", ","];

    private CsvTable(string path, string[] header, List<string[]> rows, List<int> lines)
    {
        (Path, Header, Rows, Lines) = (path, header, rows, lines);
    }

    public string Path { get; }

    public string[] Header { get; }

    public IReadOnlyList<string[]> Rows { get; }

    public IReadOnlyList<int> Lines { get; }

    /// <summary>
    /// Reads <paramref name="path"/>, fields separated by <paramref name="delimiter"/>; a missing file, an empty one or a
    /// row of the wrong width is an error naming the file and line.
    /// </summary>
    public static CsvTable Read(string path, string delimiter = ",")
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist.", path);
        using var reader = new StreamReader(path);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, Delimiter = delimiter });
        try
        {
            if (!parser.Read()) throw new InvalidDataException($"{path}, line 1: the file is empty; a header line is required.");
            string[] header = parser.Record!;
            var rows = new List<string[]>();
            var lines = new List<int>();
            while (parser.Read())
            {
                if (parser.Count != header.Length)
                    throw new InvalidDataException($"{path}, line {parser.RawRow}: the row has {parser.Count} fields but the header has {header.Length}.");
                rows.Add(parser.Record!);
                lines.Add(parser.RawRow);
            }
            return new CsvTable(path, header, rows, lines);
        }
        catch (CsvHelperException e)
        {
            throw new InvalidDataException($"{path}, line {parser.RawRow}: malformed CSV ({e.Message.Split('\n')[0].Trim()}).");
        }
    }

    /// <summary>
    /// The values of <paramref name="columns"/>, row-major as floats; a missing column or a value that is not a finite
    /// number is an InvalidDataException naming the file, line and column.
    /// </summary>
    public float[] Features(IReadOnlyList<string> columns)
    {
        var indices = new int[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            indices[c] = Array.IndexOf(Header, columns[c]);
            if (indices[c] < 0)
                throw new InvalidDataException($"{Path}, line 1: the model needs the column '{columns[c]}', which the file lacks{DelimiterHint()}.");
        }
        var values = new float[Rows.Count * columns.Count];
        for (int r = 0; r < Rows.Count; r++)
            for (int c = 0; c < columns.Count; c++)
            {
                string text = Rows[r][indices[c]];
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new InvalidDataException($"{Path}, line {Lines[r]}, column '{columns[c]}': the value '{text}' is not a finite number.");
                values[r * columns.Count + c] = v;
            }
        return values;
    }

    /// <summary>
    /// When the header is a single column holding another separator ("a;b;label" read with ','), the --delimiter to try,
    /// as a clause for an error message; else "".
    /// </summary>
    public string DelimiterHint()
    {
        if (Header.Length != 1) return "";
        string? other = OtherDelimiters.FirstOrDefault(d => Header[0].Contains(d, StringComparison.Ordinal));
        if (other is null) return "";
        string typed = other == "\t" ? "\\t" : other; // what to type: a backslash and a t
        return $" (the header is one column, '{Header[0].Replace("\t", "\\t")}'; if the fields are separated by '{typed}', pass --delimiter '{typed}')";
    }

    /// <summary>Whether <paramref name="text"/> reads as a finite number, as the loader requires of features.</summary>
    public static bool IsNumber(string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v);
}
