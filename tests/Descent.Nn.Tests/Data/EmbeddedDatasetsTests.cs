using Descent.Nn.Data;

namespace Descent.Nn.Tests.Data;

public class EmbeddedDatasetsTests
{
    [Fact]
    public void Digits_is_1797_rows_of_64_pixels_0_to_16_labelled_0_to_9()
    {
        var digits = EmbeddedDatasets.Digits();

        Assert.Equal((1797, 64), (digits.Rows, digits.Columns));
        Assert.Equal(1797 * 64, digits.Features.Length);
        Assert.Equal("p0", digits.FeatureNames[0]);
        Assert.Equal("p63", digits.FeatureNames[63]);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], digits.ClassNames);
        Assert.Equal("digits", digits.Source);
        Assert.Null(digits.Targets);
        Assert.Equal(0f, digits.Features.Min());
        Assert.Equal(16f, digits.Features.Max());
        Assert.All(digits.Features, v => Assert.Equal(MathF.Round(v), v));

        var counts = new int[10];
        foreach (int label in digits.Labels!) counts[label]++;
        Assert.Equal(1797, counts.Sum());
        Assert.All(counts, c => Assert.InRange(c, 170, 190)); // the README: about 180 per digit
    }

    [Fact]
    public void Digits_first_row_matches_the_file()
    {
        var digits = EmbeddedDatasets.Digits();
        // First data line of digits.csv.gz: "0,0,5,13,9,1,0,0,...,0" with label 0.
        Assert.Equal([0f, 0f, 5f, 13f, 9f, 1f, 0f, 0f], digits.Features[..8]);
        Assert.Equal(0, digits.Labels![0]);
    }

    [Fact]
    public void Iris_is_150_rows_of_4_measurements_with_50_per_species()
    {
        var iris = EmbeddedDatasets.Iris();

        Assert.Equal((150, 4), (iris.Rows, iris.Columns));
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], iris.FeatureNames);
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], iris.Features[..4]);
        for (int c = 0; c < 3; c++)
            Assert.Equal(50, iris.Labels!.Count(label => label == c));
    }

    [Theory]
    [InlineData("digits", 1797)]
    [InlineData("Iris", 150)]
    public void Load_by_name_ignores_case(string name, int rows) =>
        Assert.Equal(rows, EmbeddedDatasets.Load(name).Rows);

    [Fact]
    public void Load_of_an_unknown_name_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => EmbeddedDatasets.Load("mnist"));
        Assert.Contains("'mnist'", e.Message);
        Assert.Contains("digits, iris", e.Message);
    }

    [Fact]
    public void Each_call_returns_an_independent_copy()
    {
        var first = EmbeddedDatasets.Iris();
        first.Features[0] = -1;
        Assert.Equal(5.1f, EmbeddedDatasets.Iris().Features[0]);
    }
}
