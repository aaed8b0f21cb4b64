namespace Descent.Nn.Data;

/// <summary>Seeded train/test splits of row indices.</summary>
public static class DataSplit
{
    /// <summary>
    /// Splits rows 0..<paramref name="rows"/>-1 into shuffled train and test index sets; the test set holds
    /// round(<paramref name="rows"/> × <paramref name="testFraction"/>) rows. With <paramref name="stratifyLabels"/>,
    /// each class gives round(its count × <paramref name="testFraction"/>) rows to the test set, so class proportions
    /// are kept. Rounding is to nearest, halves away from zero. The same seed always gives the same split.
    /// </summary>
    public static (int[] Train, int[] Test) TrainTestSplit(int rows, double testFraction, long seed, int[]? stratifyLabels = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "TrainTestSplit: the test fraction must be in (0, 1).");
        if (stratifyLabels is not null && stratifyLabels.Length != rows)
            throw new ArgumentException(
                $"TrainTestSplit: {stratifyLabels.Length} stratify labels for {rows} rows; there must be one label per row.", nameof(stratifyLabels));

        var generator = new Generator(seed);
        int[] order = generator.Permutation(rows);
        if (stratifyLabels is null)
        {
            int testCount = RoundCount(rows, testFraction);
            return Checked(order[testCount..], order[..testCount], rows, testFraction);
        }

        // Group the shuffled rows by class (so each class's order is random), then cut each class separately.
        var byClass = new SortedDictionary<int, List<int>>();
        foreach (int row in order)
        {
            if (!byClass.TryGetValue(stratifyLabels[row], out var members))
                byClass.Add(stratifyLabels[row], members = []);
            members.Add(row);
        }
        var train = new List<int>(rows);
        var test = new List<int>(rows);
        foreach (var members in byClass.Values)
        {
            int testCount = RoundCount(members.Count, testFraction);
            test.AddRange(members.GetRange(0, testCount));
            train.AddRange(members.GetRange(testCount, members.Count - testCount));
        }
        int[] trainRows = [.. train], testRows = [.. test];
        // Without this shuffle the rows would come class by class, which hurts minibatch training.
        generator.Shuffle<int>(trainRows);
        generator.Shuffle<int>(testRows);
        return Checked(trainRows, testRows, rows, testFraction);
    }

    private static int RoundCount(int count, double fraction) => (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero);

    private static (int[] Train, int[] Test) Checked(int[] train, int[] test, int rows, double testFraction) =>
        train.Length == 0 || test.Length == 0
            ? throw new ArgumentException($"TrainTestSplit: a test fraction of {testFraction} leaves {train.Length} train and {test.Length} test rows out of {rows}; both must be non-empty.")
            : (train, test);
}
