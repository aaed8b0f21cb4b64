using Descent.Nn.Data;

namespace Descent.Cli.Training;

/// <summary>The <c>--dataset</c> and <c>--target</c> options resolved into a table: an embedded set or a CSV file.</summary>
internal static class DatasetChoice
{
    /// <summary>
    /// Loads "digits", "iris" or a CSV file (which needs <paramref name="target"/>; its features are the other columns
    /// whose first value is a number, and <paramref name="skipped"/> lists the columns left out).
    /// </summary>
    public static TabularData Load(string dataset, string? target, out IReadOnlyList<string> skipped)
    {
        skipped = [];
        if (EmbeddedDatasets.Names.Contains(dataset.ToLowerInvariant()))
        {
            if (target is not null)
                throw new ArgumentException($"--target is for a CSV file; the embedded data set '{dataset}' has its own target.");
            return EmbeddedDatasets.Load(dataset);
        }
        if (!dataset.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !File.Exists(dataset))
            throw new ArgumentException($"--dataset '{dataset}': not an embedded data set ({string.Join(", ", EmbeddedDatasets.Names)}) nor a CSV file.");
        if (target is null)
            throw new ArgumentException($"--dataset '{dataset}': a CSV file needs --target COLUMN, the column holding the class.");
        if (!File.Exists(dataset))
            throw new FileNotFoundException($"--dataset '{dataset}': the file does not exist.", dataset);

        var table = CsvTable.Read(dataset);
        _ = table.ColumnIndex(target); // a missing target is an error that lists the columns there are
        var features = new List<string>();
        var left = new List<string>();
        foreach (string column in table.Header)
            if (column != target)
                (table.Rows.Count == 0 || CsvTable.IsNumber(table.Rows[0][table.ColumnIndex(column)]) ? features : left).Add(column);
        if (features.Count == 0 && table.Rows.Count > 0)
            throw new InvalidDataException($"{dataset}, line {table.Lines[0]}: no column but the target holds numbers, so there are no features.");
        skipped = left;
        var data = CsvLoader.Load(table, target, features.Count == 0 ? null : features);
        if (!data.IsClassification)
            throw new InvalidDataException($"{dataset}, column '{target}': the target holds numbers that are not class labels (non-integers, or over {CsvLoader.MaxAutoClasses} distinct values); descent train does classification.");
        return data;
    }

    /// <summary>The short name reported and saved: the embedded set's name, or the file path.</summary>
    public static string NameOf(string dataset) =>
        EmbeddedDatasets.Names.Contains(dataset.ToLowerInvariant()) ? dataset.ToLowerInvariant() : dataset;
}
