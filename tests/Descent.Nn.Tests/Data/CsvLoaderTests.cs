using Descent.Nn.Data;

namespace Descent.Nn.Tests.Data;

public sealed class CsvLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Numeric_target_is_read_as_regression()
    {
        string path = Write("houses.csv", "rooms,area,price\n3,70.5,120.25\n4,95,180.5\n");

        var data = CsvLoader.Load(path, "price");

        Assert.Equal((2, 2), (data.Rows, data.Columns));
        Assert.Equal(["rooms", "area"], data.FeatureNames);
        Assert.Equal([3f, 70.5f, 4f, 95f], data.Features);
        Assert.Equal([120.25f, 180.5f], data.Targets!);
        Assert.Null(data.Labels!);
        Assert.Empty(data.ClassNames);
        Assert.Equal(path, data.Source);
    }

    [Fact]
    public void String_target_becomes_classes_in_order_of_first_appearance()
    {
        string path = Write("pets.csv", "weight,kind,height\n4,cat,25\n30,dog,60\n5,cat,24\n1,bird,10\n");

        var data = CsvLoader.Load(path, "kind");

        Assert.Equal(["cat", "dog", "bird"], data.ClassNames);
        Assert.Equal([0, 1, 0, 2], data.Labels!);
        Assert.Equal(["weight", "height"], data.FeatureNames);
        Assert.Equal([4f, 25f, 30f, 60f, 5f, 24f, 1f, 10f], data.Features);
    }

    [Fact]
    public void Integer_target_is_read_as_classes_sorted_numerically()
    {
        string path = Write("grades.csv", "x,grade\n1,3\n2,1\n3,10\n4,3\n");

        var data = CsvLoader.Load(path, "grade");

        Assert.Equal(["1", "3", "10"], data.ClassNames);
        Assert.Equal([1, 0, 2, 1], data.Labels!);
    }

    [Fact]
    public void Explicit_numeric_kind_overrides_integer_classes()
    {
        string path = Write("grades.csv", "x,grade\n1,3\n2,1\n");

        var data = CsvLoader.Load(path, "grade", targetKind: TargetKind.Numeric);

        Assert.Equal([3f, 1f], data.Targets!);
    }

    [Fact]
    public void Auto_reads_integers_with_too_many_distinct_values_as_numeric()
    {
        var text = "x,y\n" + string.Concat(Enumerable.Range(0, CsvLoader.MaxAutoClasses + 1).Select(i => $"{i},{i * 7}\n"));
        var data = CsvLoader.Load(Write("many.csv", text), "y");

        Assert.False(data.IsClassification);
        Assert.Equal(7f * CsvLoader.MaxAutoClasses, data.Targets![^1]);
    }

    [Fact]
    public void Feature_subset_keeps_the_requested_order()
    {
        string path = Write("pets.csv", "weight,kind,height,age\n4,cat,25,2\n30,dog,60,7\n");

        var data = CsvLoader.Load(path, "kind", ["age", "weight"]);

        Assert.Equal(["age", "weight"], data.FeatureNames);
        Assert.Equal([2f, 4f, 7f, 30f], data.Features);
    }

    [Fact]
    public void Stream_overload_names_the_source()
    {
        using var stream = new MemoryStream("a,b\n1,x\n"u8.ToArray());
        var data = CsvLoader.Load(stream, "memory", "b");
        Assert.Equal("memory", data.Source);
        Assert.Equal(["x"], data.ClassNames);
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        string path = Path.Combine(_dir, "absent.csv");
        var e = Assert.Throws<FileNotFoundException>(() => CsvLoader.Load(path, "y"));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Missing_target_column_is_named_and_the_columns_listed()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("t.csv", "a,b\n1,2\n"), "label"));
        AssertLocates(e, "t.csv", 1, "label");
        Assert.Contains("'a', 'b'", e.Message);
    }

    [Fact]
    public void Missing_feature_column_is_named_and_the_columns_listed()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("f.csv", "a,b,y\n1,2,3\n"), "y", ["a", "c"]));
        AssertLocates(e, "f.csv", 1, "c");
        Assert.Contains("'a', 'b', 'y'", e.Message);
    }

    [Fact]
    public void Non_numeric_feature_gives_file_line_and_column()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("n.csv", "a,b,y\n1,2,0\n3,four,1\n"), "y"));
        AssertLocates(e, "n.csv", 3, "b");
        Assert.Contains("'four'", e.Message);
    }

    [Fact]
    public void Line_numbers_count_blank_lines()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("blank.csv", "a,y\n1,0\n\n\nx,1\n"), "y"));
        AssertLocates(e, "blank.csv", 5, "a");
    }

    [Fact]
    public void Line_numbers_count_lines_inside_quoted_fields()
    {
        string text = "a,note,y\n1,\"two\nlines\",0\nx,n,1\n";
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("quoted.csv", text), "y", ["a"]));
        AssertLocates(e, "quoted.csv", 4, "a");
    }

    [Fact]
    public void Empty_feature_value_is_rejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("e.csv", "a,b,y\n1,,0\n"), "y"));
        AssertLocates(e, "e.csv", 2, "b");
    }

    [Fact]
    public void Non_numeric_target_with_numeric_kind_gives_file_line_and_column()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            CsvLoader.Load(Write("r.csv", "a,y\n1,2.5\n2,3\n3,high\n"), "y", targetKind: TargetKind.Numeric));
        AssertLocates(e, "r.csv", 4, "y");
    }

    [Fact]
    public void Short_row_names_the_first_missing_column()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("short.csv", "a,b,y\n1,2,0\n3,4\n"), "y"));
        AssertLocates(e, "short.csv", 3, "b");
        Assert.Contains("2 fields", e.Message);
        Assert.Contains("first missing column 'y'", e.Message);
    }

    [Fact]
    public void Long_row_is_rejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("long.csv", "a,y\n1,0\n2,1,9\n"), "y"));
        AssertLocates(e, "long.csv", 3, "y");
        Assert.Contains("3 fields but the header has 2", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void Empty_file_is_rejected(string text)
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("empty.csv", text), "y"));
        Assert.Contains("empty.csv, line 1", e.Message);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Header_without_rows_is_rejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("header.csv", "a,y\n"), "y"));
        Assert.Contains("header.csv", e.Message);
        Assert.Contains("no data rows", e.Message);
    }

    [Fact]
    public void Duplicate_header_name_is_rejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("dup.csv", "a,a,y\n1,2,0\n"), "y"));
        AssertLocates(e, "dup.csv", 1, "a");
    }

    [Fact]
    public void Malformed_quoting_gives_file_and_line()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("quote.csv", "a,y\n1,0\n2,x\"y\n"), "y"));
        Assert.Contains("quote.csv, line 3", e.Message);
        Assert.Contains("malformed", e.Message);
    }

    [Fact]
    public void Target_listed_as_feature_is_an_argument_error() =>
        Assert.Throws<ArgumentException>(() => CsvLoader.Load(Write("t.csv", "a,y\n1,0\n"), "y", ["a", "y"]));

    private static void AssertLocates(InvalidDataException e, string file, int line, string column)
    {
        Assert.Contains(file, e.Message);
        Assert.Contains($", line {line},", e.Message);
        Assert.Contains($"column '{column}'", e.Message);
    }

    [Theory]
    [InlineData(";")]
    [InlineData("\t")]
    [InlineData("|")]
    public void Delimiter_separates_the_fields(string delimiter)
    {
        string path = Write("sep.csv", string.Join('\n', new[] { "a,b,label", "1.5,2,x", "3,-4,y" }.Select(l => l.Replace(",", delimiter))) + "\n");
        var data = CsvLoader.Load(path, "label", delimiter: delimiter);
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal([1.5f, 2f, 3f, -4f], data.Features);
        Assert.Equal(["x", "y"], data.ClassNames);
    }

    [Fact]
    public void Semicolon_file_read_with_commas_is_one_column()
    {
        // What --delimiter is for: without it the header is a single name and the target is not found.
        string path = Write("semi.csv", "a;b;label\n1;2;x\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(path, "label"));
        Assert.Contains("label", e.Message);
        Assert.Equal(["a", "b"], CsvLoader.Load(path, "label", delimiter: ";").FeatureNames);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"")]
    [InlineData("\n")]
    public void Delimiter_that_cannot_separate_fields_is_refused(string delimiter)
    {
        string path = Write("any.csv", "a,label\n1,x\n");
        var e = Assert.Throws<ArgumentException>(() => CsvLoader.Load(path, "label", delimiter: delimiter));
        Assert.Contains("delimiter", e.Message);
    }
}
