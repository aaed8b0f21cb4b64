using System.Globalization;

namespace Descent.Nn.Data;

/// <summary>
/// Reads a CSV file with a header line into <see cref="TabularData"/>: the chosen feature columns must be numbers,
/// and the target column becomes class labels or a numeric target (see <see cref="TargetKind"/>).
/// Bad files throw <see cref="InvalidDataException"/> naming the file, the 1-based line and the column.
/// The text itself is read by <see cref="CsvTable"/>.
/// </summary>
public static class CsvLoader
{
    /// <summary>The most distinct integer values that <see cref="TargetKind.Auto"/> still reads as classes.</summary>
    public const int MaxAutoClasses = 100;

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
        CsvTable.CheckDelimiter(delimiter); // a bad delimiter is the caller's error, found before the file is opened
        using var stream = File.OpenRead(path);
        return Load(stream, path, targetColumn, featureColumns, targetKind, delimiter);
    }

    /// <summary>Loads CSV text from <paramref name="stream"/> (left open); <paramref name="sourceName"/> names it in errors and in <see cref="TabularData.Source"/>.</summary>
    public static TabularData Load(Stream stream, string sourceName, string targetColumn, IReadOnlyList<string>? featureColumns = null,
        TargetKind targetKind = TargetKind.Auto, string delimiter = ",")
    {
        CheckColumns(targetColumn, featureColumns);
        return Load(CsvTable.Read(stream, sourceName, delimiter), targetColumn, featureColumns, targetKind);
    }

    /// <summary>Builds the data from a table already read, so that a caller can look at its columns first.</summary>
    public static TabularData Load(CsvTable table, string targetColumn, IReadOnlyList<string>? featureColumns = null,
        TargetKind targetKind = TargetKind.Auto)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckColumns(targetColumn, featureColumns);
        int target = table.ColumnIndex(targetColumn);
        string[] features = featureColumns?.ToArray() ?? table.Header.Where(h => h != targetColumn).ToArray();
        if (features.Length == 0)
            throw CsvTable.Error(table.Source, table.HeaderLine, null, $"the target '{targetColumn}' is the only column; no features are left");
        var values = table.Features(features);
        if (table.Rows.Count == 0)
            throw CsvTable.Error(table.Source, table.HeaderLine, null, "the file has a header but no data rows");

        var targetTexts = new List<string>(table.Rows.Count);
        for (int r = 0; r < table.Rows.Count; r++)
        {
            if (table.Rows[r][target].Length == 0)
                throw CsvTable.Error(table.Source, table.Lines[r], targetColumn, "the target value is empty");
            targetTexts.Add(table.Rows[r][target]);
        }
        return IsClasses(targetTexts, targetKind)
            ? new TabularData(values, features, EncodeClasses(targetTexts, out var classNames), classNames, table.Source)
            : new TabularData(values, features, ParseTargets(targetTexts, table, targetColumn), table.Source);
    }

    private static void CheckColumns(string targetColumn, IReadOnlyList<string>? featureColumns)
    {
        ArgumentNullException.ThrowIfNull(targetColumn);
        if (featureColumns is not null && featureColumns.Count == 0)
            throw new ArgumentException("CsvLoader: the feature column list is empty.", nameof(featureColumns));
        if (featureColumns is not null && featureColumns.Contains(targetColumn))
            throw new ArgumentException($"CsvLoader: the target column '{targetColumn}' is also listed as a feature.", nameof(featureColumns));
        if (featureColumns is not null && featureColumns.Distinct().Count() != featureColumns.Count)
            throw new ArgumentException("CsvLoader: a feature column is listed twice.", nameof(featureColumns));
    }

    private static bool IsClasses(List<string> texts, TargetKind kind)
    {
        if (kind != TargetKind.Auto)
            return kind == TargetKind.Classes;
        if (!texts.TrueForAll(CsvTable.IsNumber))
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

    private static float[] ParseTargets(List<string> texts, CsvTable table, string targetColumn)
    {
        var targets = new float[texts.Count];
        for (int i = 0; i < texts.Count; i++)
            if (!CsvTable.TryParseNumber(texts[i], out targets[i]))
                throw CsvTable.Error(table.Source, table.Lines[i], targetColumn, $"the numeric target value '{texts[i]}' is not a finite number");
        return targets;
    }
}
