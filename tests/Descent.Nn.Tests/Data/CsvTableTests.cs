using Descent.Nn.Data;

namespace Descent.Nn.Tests.Data;

/// <summary>CsvTable: the one CSV reader that CsvLoader and the descent tool share.</summary>
public sealed class CsvTableTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-csvtable-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reads_the_header_the_trimmed_rows_and_their_file_lines()
    {
        string path = Write("t.csv", "id, x ,kind\n1,2.5,cat\n\n2, -3 ,dog\n");

        var table = CsvTable.Read(path);

        Assert.Equal(path, table.Source);
        Assert.Equal(["id", "x", "kind"], table.Header);
        Assert.Equal(1, table.HeaderLine);
        Assert.Equal(["1", "2.5", "cat"], table.Rows[0]);
        Assert.Equal(["2", "-3", "dog"], table.Rows[1]);
        Assert.Equal([2, 4], table.Lines); // the blank line 3 is no row
    }

    [Fact]
    public void Features_are_read_by_name_in_the_order_asked()
    {
        var table = CsvTable.Read(Write("t.csv", "a,b,c\n1,2,3\n4,5,6\n"));
        Assert.Equal([3f, 1f, 6f, 4f], table.Features(["c", "a"]));
        Assert.True(table.HasColumn("b"));
        Assert.False(table.HasColumn("B"));
        Assert.Equal(2, table.ColumnIndex("c"));
    }

    [Fact]
    public void A_missing_column_is_named_with_the_columns_there_are()
    {
        var table = CsvTable.Read(Write("t.csv", "a,b\n1,2\n"));
        var e = Assert.Throws<InvalidDataException>(() => table.Features(["a", "z"]));
        Assert.Equal($"{table.Source}, line 1, column 'z': no such column; the columns are 'a', 'b'.", e.Message);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("")]
    public void A_feature_that_is_not_a_finite_number_is_located(string value)
    {
        var table = CsvTable.Read(Write("t.csv", $"a,b\n1,2\n3,{value}\n"));
        var e = Assert.Throws<InvalidDataException>(() => table.Features(["a", "b"]));
        Assert.Equal($"{table.Source}, line 3, column 'b': the feature value '{value}' is not a finite number.", e.Message);
        Assert.False(CsvTable.IsNumber(value));
    }

    [Fact]
    public void Numbers_are_read_in_the_invariant_culture() =>
        Assert.Equal([1.5f, -2e3f], CsvTable.Read(Write("t.csv", "a,b\n1.5,-2e3\n")).Features(["a", "b"]));

    [Fact]
    public void A_header_without_rows_is_a_table_without_rows()
    {
        var table = CsvTable.Read(Write("t.csv", "a,b\n"));
        Assert.Empty(table.Rows);
        Assert.Empty(table.Features(["a"]));
    }

    [Fact]
    public void The_stream_overload_names_its_source_in_errors()
    {
        using var stream = new MemoryStream("a,b\n1\n"u8.ToArray());
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(stream, "upload"));
        Assert.Equal("upload, line 2, column 'a': the row has 1 fields but the header has 2 (first missing column 'b').", e.Message);
    }

    [Fact]
    public void A_missing_file_is_a_file_not_found_naming_it()
    {
        string path = Path.Combine(_dir, "absent.csv");
        var e = Assert.Throws<FileNotFoundException>(() => CsvTable.Read(path));
        Assert.Equal($"'{path}' does not exist.", e.Message);
    }

    [Fact]
    public void Bad_files_are_invalid_data_naming_file_and_line()
    {
        Assert.Equal("e.csv, line 1: the file is empty; a header line is required.",
            Assert.Throws<InvalidDataException>(() => CsvTable.Read(new MemoryStream(), "e.csv")).Message);
        Assert.Contains("d.csv, line 1, column 'a': the header names this column twice",
            Assert.Throws<InvalidDataException>(() => CsvTable.Read(new MemoryStream("a,a\n1,2\n"u8.ToArray()), "d.csv")).Message);
        Assert.StartsWith("q.csv, line 3: malformed CSV",
            Assert.Throws<InvalidDataException>(() => CsvTable.Read(new MemoryStream("a,y\n1,0\n2,x\"y\n"u8.ToArray()), "q.csv")).Message);
    }

    [Fact]
    public void Loader_builds_data_from_a_table_already_read()
    {
        var table = CsvTable.Read(Write("t.csv", "id,x,kind\n7,1,cat\n8,2,dog\n"));
        var data = CsvLoader.Load(table, "kind", ["x"]);
        Assert.Equal(["x"], data.FeatureNames);
        Assert.Equal([1f, 2f], data.Features);
        Assert.Equal(["cat", "dog"], data.ClassNames);
        Assert.Equal(table.Source, data.Source);
    }
}
