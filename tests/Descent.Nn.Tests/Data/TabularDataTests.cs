using Descent.Nn.Data;

namespace Descent.Nn.Tests.Data;

public class TabularDataTests
{
    private static TabularData Classes() =>
        new([1, 2, 3, 4, 5, 6], ["a", "b"], [0, 1, 1], ["no", "yes"], "t");

    [Fact]
    public void Shape_comes_from_labels_and_feature_names()
    {
        var data = Classes();
        Assert.Equal((3, 2, 2), (data.Rows, data.Columns, data.ClassCount));
        Assert.True(data.IsClassification);
    }

    [Fact]
    public void Subset_copies_the_rows_in_order()
    {
        var subset = Classes().Subset([2, 0, 2]);

        Assert.Equal([5f, 6f, 1f, 2f, 5f, 6f], subset.Features);
        Assert.Equal([1, 0, 1], subset.Labels!);
        Assert.Equal(["no", "yes"], subset.ClassNames);
    }

    [Fact]
    public void Subset_of_regression_data_keeps_targets()
    {
        var data = new TabularData([1, 2, 3], ["a"], [10f, 20f, 30f], "r");
        var subset = data.Subset([1]);
        Assert.Equal([20f], subset.Targets!);
        Assert.Equal(0, subset.ClassCount);
    }

    [Fact]
    public void Subset_rejects_an_index_out_of_range() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Classes().Subset([3]));

    [Fact]
    public void Feature_count_must_fill_rows_times_columns()
    {
        var e = Assert.Throws<ArgumentException>(() => new TabularData([1, 2, 3], ["a", "b"], [0, 1], ["x", "y"], "t"));
        Assert.Contains("3 feature values do not fill 2 rows × 2 columns", e.Message);
    }

    [Fact]
    public void Label_outside_the_classes_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new TabularData([1, 2], ["a"], [0, 2], ["x", "y"], "t"));
        Assert.Contains("label 2 of row 1", e.Message);
    }

    [Fact]
    public void Classification_needs_class_names() =>
        Assert.Throws<ArgumentException>(() => new TabularData([1f], ["a"], [0], [], "t"));
}
