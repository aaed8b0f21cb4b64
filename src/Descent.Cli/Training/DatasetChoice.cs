using System.Globalization;
using Descent.Nn.Data;

namespace Descent.Cli.Training;

/// <summary>The <c>--dataset</c>, <c>--target</c>, <c>--ignore</c> and <c>--delimiter</c> options resolved into a table: an embedded set or a CSV file.</summary>
internal static class DatasetChoice
{
    /// <summary>What was loaded, and which columns of a CSV file were left out and why.</summary>
    public sealed record Loaded(TabularData Data, IReadOnlyList<string> Skipped, IReadOnlyList<string> Ignored, IReadOnlyList<string> Warnings);

    /// <summary>
    /// Loads "digits", "iris" or a CSV file (which needs <paramref name="target"/>; its features are the other columns
    /// whose first value is a number, less <paramref name="ignore"/>). A feature that counts up or down by one row by
    /// row, like a row number, gets a warning: with rows sorted by class it gives the class away.
    /// </summary>
    public static Loaded Load(string dataset, string? target, IReadOnlyList<string>? ignore = null, string delimiter = CsvDelimiter.Default)
    {
        ignore ??= [];
        if (EmbeddedDatasets.Names.Contains(dataset.ToLowerInvariant()))
        {
            if (target is not null)
                throw new ArgumentException($"--target is for a CSV file; the embedded data set '{dataset}' has its own target.");
            if (ignore.Count > 0)
                throw new ArgumentException($"--ignore is for a CSV file; the embedded data set '{dataset}' uses all its columns.");
            if (delimiter != CsvDelimiter.Default)
                throw new ArgumentException($"--delimiter is for a CSV file; '{dataset}' is an embedded data set.");
            return new Loaded(EmbeddedDatasets.Load(dataset), [], [], []);
        }
        if (!dataset.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !File.Exists(dataset))
            throw new ArgumentException($"--dataset '{dataset}': not an embedded data set ({string.Join(", ", EmbeddedDatasets.Names.Append(LanguageModelSettings.Dataset))}) nor a CSV file.");
        if (target is null)
            throw new ArgumentException($"--dataset '{dataset}': a CSV file needs --target COLUMN, the column holding the class.");
        if (!File.Exists(dataset))
            throw new FileNotFoundException($"--dataset '{dataset}': the file does not exist.", dataset);

        var table = CsvTable.Read(dataset, delimiter);
        string Columns() => string.Join(", ", table.Header.Select(h => $"'{h}'"));
        if (!table.HasColumn(target))
            throw new InvalidDataException($"{dataset}, line {table.HeaderLine}, column '{target}': no such column; the columns are {Columns()}{CsvDelimiter.Hint(table)}.");
        foreach (string name in ignore)
        {
            if (name == target)
                throw new ArgumentException($"--ignore '{name}': that is the --target column.");
            if (!table.HasColumn(name))
            {
                var near = ParseErrors.Suggest(name, table.Header);
                throw new InvalidDataException($"{dataset}, line {table.HeaderLine}: --ignore names '{name}', which is not a column; the columns are {Columns()}" +
                    (near.Count > 0 ? $"; did you mean '{near[0]}'?" : "."));
            }
        }
        var features = new List<string>();
        var left = new List<string>();
        foreach (string column in table.Header)
            if (column != target && !ignore.Contains(column))
                (table.Rows.Count == 0 || CsvTable.IsNumber(table.Rows[0][table.ColumnIndex(column)]) ? features : left).Add(column);
        if (features.Count == 0 && table.Rows.Count > 0)
            throw new InvalidDataException($"{dataset}, line {table.Lines[0]}: no column but the target holds numbers{(ignore.Count > 0 ? " (after --ignore)" : "")}, so there are no features.");
        // The library's loader turns the table, read once, into labelled data.
        var data = CsvLoader.Load(table, target, features.Count == 0 ? null : features);
        if (!data.IsClassification)
            throw new InvalidDataException($"{dataset}, column '{target}': the target holds numbers that are not class labels (non-integers, or over {CsvLoader.MaxAutoClasses} distinct values); descent train does classification.");
        var warnings = features.Where(f => CountsRows(table, table.ColumnIndex(f)))
            .Select(f => $"column '{f}' goes up or down by 1 from each row to the next, like a row number; if it numbers the rows, " +
                $"leave it out with --ignore {f}: in a file sorted by class it gives the class away.")
            .ToList();
        return new Loaded(data, left, ignore.ToList(), warnings);
    }

    /// <summary>The short name reported and saved: the embedded set's name, or the file path.</summary>
    public static string NameOf(string dataset) =>
        EmbeddedDatasets.Names.Contains(dataset.ToLowerInvariant()) ? dataset.ToLowerInvariant() : dataset;

    // Whole numbers that step by +1 (or by −1) on every row: an id or row number. Ten rows at least, so that a short
    // file's small integer feature is not taken for one by chance.
    private static bool CountsRows(CsvTable table, int column)
    {
        if (table.Rows.Count < 10) return false;
        long? step = null, previous = null;
        foreach (var row in table.Rows)
        {
            if (!long.TryParse(row[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)) return false;
            if (previous is { } p)
            {
                long d = value - p;
                if (d is not (1 or -1) || (step is { } s && d != s)) return false;
                step = d;
            }
            previous = value;
        }
        return true;
    }
}
