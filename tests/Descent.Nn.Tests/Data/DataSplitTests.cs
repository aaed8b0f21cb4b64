using Descent.Nn.Data;

namespace Descent.Nn.Tests.Data;

public class DataSplitTests
{
    [Fact]
    public void Split_sizes_are_rounded_and_the_parts_partition_all_rows()
    {
        var (train, test) = DataSplit.TrainTestSplit(103, 0.2, seed: 1);

        Assert.Equal(21, test.Length); // round(20.6)
        Assert.Equal(82, train.Length);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(Enumerable.Range(0, 103), train.Concat(test).Order());
    }

    [Fact]
    public void Split_is_shuffled()
    {
        var (train, _) = DataSplit.TrainTestSplit(100, 0.2, seed: 1);
        Assert.NotEqual(train.Order(), train);
    }

    [Fact]
    public void Same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var a = DataSplit.TrainTestSplit(150, 0.2, seed: 42);
        var b = DataSplit.TrainTestSplit(150, 0.2, seed: 42);
        var c = DataSplit.TrainTestSplit(150, 0.2, seed: 43);

        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Test, b.Test);
        Assert.NotEqual(a.Test.Order(), c.Test.Order());
    }

    [Fact]
    public void Stratified_split_keeps_each_class_proportion()
    {
        // Unbalanced classes 7 (60 rows), 2 (30 rows), 5 (10 rows), interleaved.
        int[] labels = Enumerable.Range(0, 100).Select(i => i % 10 == 0 ? 5 : i % 10 <= 3 ? 2 : 7).ToArray();

        var (train, test) = DataSplit.TrainTestSplit(100, 0.25, seed: 3, labels);

        Assert.Equal(15, test.Count(r => labels[r] == 7)); // 60 × 0.25
        Assert.Equal(8, test.Count(r => labels[r] == 2));  // round(7.5), half away from zero
        Assert.Equal(3, test.Count(r => labels[r] == 5));  // round(2.5)
        Assert.Equal(26, test.Length);
        Assert.Equal(Enumerable.Range(0, 100), train.Concat(test).Order());
    }

    [Fact]
    public void Stratified_split_is_deterministic_and_mixes_the_classes()
    {
        int[] labels = Enumerable.Range(0, 90).Select(i => i / 30).ToArray();

        var a = DataSplit.TrainTestSplit(90, 0.2, seed: 9, labels);
        var b = DataSplit.TrainTestSplit(90, 0.2, seed: 9, labels);
        var c = DataSplit.TrainTestSplit(90, 0.2, seed: 10, labels);

        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Test, b.Test);
        Assert.NotEqual(a.Test.Order(), c.Test.Order());
        Assert.NotEqual(a.Train.Select(r => labels[r]).Order(), a.Train.Select(r => labels[r]));
    }

    [Fact]
    public void Stratified_digits_split_keeps_every_digit_near_20_percent()
    {
        var digits = EmbeddedDatasets.Digits();
        var (_, test) = DataSplit.TrainTestSplit(digits.Rows, 0.2, seed: 0, digits.Labels);

        for (int d = 0; d < 10; d++)
        {
            int total = digits.Labels!.Count(l => l == d);
            Assert.Equal((int)Math.Round(total * 0.2, MidpointRounding.AwayFromZero), test.Count(r => digits.Labels![r] == d));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Test_fraction_outside_0_1_is_rejected(double fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.TrainTestSplit(10, fraction, seed: 1));
        Assert.Contains("(0, 1)", e.Message);
    }

    [Fact]
    public void Label_count_must_match_rows()
    {
        var e = Assert.Throws<ArgumentException>(() => DataSplit.TrainTestSplit(10, 0.2, seed: 1, new int[9]));
        Assert.Contains("9 stratify labels for 10 rows", e.Message);
    }

    [Fact]
    public void Split_leaving_an_empty_part_is_rejected() =>
        Assert.Throws<ArgumentException>(() => DataSplit.TrainTestSplit(2, 0.1, seed: 1));
}
