using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Descent.Nn.Data;

/// <summary>
/// Reads a CSV file with a header line into <see cref="TabularData"/>: the chosen feature columns must be numbers,
/// and the target column becomes class labels or a numeric target (see <see cref="TargetKind"/>).
/// Bad files throw <see cref="InvalidDataException"/> naming the file, the 1-based line and the column.
/// </summary>
public static class CsvLoader
{
    /// <summary>The most distinct integer values that <see cref="TargetKind.Auto"/> still reads as classes.</summary>
    public const int MaxAutoClasses = 100;

    /// <summary>How fields are read: <paramref name="delimiter"/> between fields, quotes as RFC 4180, spaces around a field trimmed.</summary>
    internal static CsvConfiguration Config(string delimiter)
    {
        ArgumentNullException.ThrowIfNull(delimiter);
        if (delimiter.Length == 0 || delimiter.Contains('"') || delimiter.Contains('\n') || delimiter.Contains('\r'))
            throw new ArgumentException($"CsvLoader: the delimiter '{delimiter}' cannot separate fields; use a character such as ',', ';' or a tab.", nameof(delimiter));
        return new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, Delimiter = delimiter };
    }

    /// <summary>
    /// Loads the CSV file at <paramref name="path"/>. <paramref name="featureColumns"/> null means every column
    /// but <paramref name="targetColumn"/>, in file order. <paramref name="delimiter"/> separates the fields (";" for
    /// files from a spreadsheet in a comma-decimal locale, "\t" for tab-separated files); numbers always use '.'.
    /// </summary>
    public static TabularData Load(string path, string targetColumn, IReadOnlyList<string>? featureColumns = null,
        TargetKind targetKind = TargetKind.Auto, string delimiter = ",")
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"CsvLoader: the file '{path}' does not exist.", path);
        Config(delimiter); // a bad delimiter is the caller's error, found before the file is opened
        using var stream = File.OpenRead(path);
        return Load(stream, path, targetColumn, featureColumns, targetKind, delimiter);
    }

    /// <summary>Loads CSV text from <paramref name="stream"/> (left open); <paramref name="sourceName"/> names it in errors and in <see cref="TabularData.Source"/>.</summary>
    public static TabularData Load(Stream stream, string sourceName, string targetColumn, IReadOnlyList<string>? featureColumns = null,
        TargetKind targetKind = TargetKind.Auto, string delimiter = ",")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(targetColumn);
        if (featureColumns is not null && featureColumns.Count == 0)
            throw new ArgumentException("CsvLoader: the feature column list is empty.", nameof(featureColumns));
        if (featureColumns is not null && featureColumns.Contains(targetColumn))
            throw new ArgumentException($"CsvLoader: the target column '{targetColumn}' is also listed as a feature.", nameof(featureColumns));
        if (featureColumns is not null && featureColumns.Distinct().Count() != featureColumns.Count)
            throw new ArgumentException("CsvLoader: a feature column is listed twice.", nameof(featureColumns));

        var config = Config(delimiter);
        using var reader = new StreamReader(stream, leaveOpen: true);
        using var parser = new CsvParser(reader, config);
        try
        {
            return Read(parser, sourceName, targetColumn, featureColumns, targetKind);
        }
        catch (CsvHelperException e)
        {
            // Malformed quoting and the like: report it in the same shape as our own errors.
            throw Error(sourceName, parser.RawRow, null, $"malformed CSV ({e.Message.Split('\n')[0].Trim()})");
        }
    }

    private static TabularData Read(CsvParser parser, string source, string targetColumn, IReadOnlyList<string>? featureColumns,
        TargetKind targetKind)
    {
        if (!parser.Read())
            throw Error(source, 1, null, "the file is empty; a header line is required");
        string[] header = parser.Record!;
        for (int c = 0; c < header.Length; c++)
            if (Array.IndexOf(header, header[c]) != c)
                throw Error(source, parser.RawRow, header[c], "the header names this column twice");

        int target = ColumnIndex(header, targetColumn, source, parser.RawRow);
        int[] features = featureColumns is null
            ? Enumerable.Range(0, header.Length).Where(c => c != target).ToArray()
            : featureColumns.Select(name => ColumnIndex(header, name, source, parser.RawRow)).ToArray();
        if (features.Length == 0)
            throw Error(source, parser.RawRow, null, $"the target '{targetColumn}' is the only column; no features are left");

        var values = new List<float>();
        var targetTexts = new List<string>();
        var lines = new List<int>(); // the file line of each row, for target errors found after reading
        while (parser.Read())
        {
            int line = parser.RawRow;
            if (parser.Count != header.Length)
                throw Error(source, line, header[Math.Min(parser.Count, header.Length) - 1],
                    $"the row has {parser.Count} fields but the header has {header.Length}" +
                    (parser.Count < header.Length ? $" (first missing column '{header[parser.Count]}')" : ""));
            foreach (int c in features)
            {
                string text = parser[c];
                if (!TryParseNumber(text, out float value))
                    throw Error(source, line, header[c], $"the feature value '{text}' is not a finite number");
                values.Add(value);
            }
            if (parser[target].Length == 0)
                throw Error(source, line, targetColumn, "the target value is empty");
            targetTexts.Add(parser[target]);
            lines.Add(line);
        }
        if (targetTexts.Count == 0)
            throw Error(source, parser.RawRow, null, "the file has a header but no data rows");

        var featureNames = Array.ConvertAll(features, c => header[c]);
        return IsClasses(targetTexts, targetKind)
            ? new TabularData(values.ToArray(), featureNames, EncodeClasses(targetTexts, out var classNames), classNames, source)
            : new TabularData(values.ToArray(), featureNames, ParseTargets(targetTexts, lines, source, targetColumn), source);
    }

    private static bool IsClasses(List<string> texts, TargetKind kind)
    {
        if (kind != TargetKind.Auto)
            return kind == TargetKind.Classes;
        if (!texts.TrueForAll(t => TryParseNumber(t, out _)))
            return true;
        var distinct = new HashSet<long>();
        foreach (string t in texts)
            if (!long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) || (distinct.Add(v) && distinct.Count > MaxAutoClasses))
                return false;
        return true;
    }

    // Integer classes are sorted numerically so that labels 0..9 keep their values; text classes keep their first appearance.
    private static int[] EncodeClasses(List<string> texts, out string[] classNames)
    {
        var integers = new long[texts.Count];
        bool allIntegers = true;
        for (int i = 0; i < texts.Count && allIntegers; i++)
            allIntegers = long.TryParse(texts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out integers[i]);

        if (allIntegers)
        {
            long[] sorted = integers.Distinct().Order().ToArray();
            classNames = Array.ConvertAll(sorted, v => v.ToString(CultureInfo.InvariantCulture));
            return Array.ConvertAll(integers, v => Array.BinarySearch(sorted, v));
        }
        var names = new List<string>();
        var index = new Dictionary<string, int>();
        var labels = new int[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            if (!index.TryGetValue(texts[i], out labels[i]))
            {
                labels[i] = names.Count;
                index.Add(texts[i], names.Count);
                names.Add(texts[i]);
            }
        }
        classNames = names.ToArray();
        return labels;
    }

    private static float[] ParseTargets(List<string> texts, List<int> lines, string source, string targetColumn)
    {
        var targets = new float[texts.Count];
        for (int i = 0; i < texts.Count; i++)
            if (!TryParseNumber(texts[i], out targets[i]))
                throw Error(source, lines[i], targetColumn, $"the numeric target value '{texts[i]}' is not a finite number");
        return targets;
    }

    private static int ColumnIndex(string[] header, string name, string source, int line)
    {
        int index = Array.IndexOf(header, name);
        if (index < 0)
            throw Error(source, line, name, $"no such column; the columns are {string.Join(", ", header.Select(h => $"'{h}'"))}");
        return index;
    }

    private static bool TryParseNumber(string text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    private static InvalidDataException Error(string source, int line, string? column, string problem) =>
        new($"{source}, line {line}{(column is null ? "" : $", column '{column}'")}: {problem}.");
}
