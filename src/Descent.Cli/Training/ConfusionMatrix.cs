namespace Descent.Cli.Training;

/// <summary>Counts of (true class, predicted class) over a set of rows, with each class's precision and recall.</summary>
internal sealed class ConfusionMatrix
{
    public ConfusionMatrix(IReadOnlyList<string> classNames, IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"ConfusionMatrix: {truth.Count} true labels but {predicted.Count} predictions.");
        ClassNames = classNames;
        Counts = new int[classNames.Count, classNames.Count];
        for (int i = 0; i < truth.Count; i++) Counts[truth[i], predicted[i]]++;
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Counts[t, p]: rows of true class t predicted as p.</summary>
    public int[,] Counts { get; }

    /// <summary>Rows whose true class is <paramref name="c"/>.</summary>
    public int Support(int c) => Enumerable.Range(0, ClassNames.Count).Sum(p => Counts[c, p]);

    /// <summary>Of the rows predicted as <paramref name="c"/>, the fraction that are; null when none were.</summary>
    public double? Precision(int c)
    {
        int predicted = Enumerable.Range(0, ClassNames.Count).Sum(t => Counts[t, c]);
        return predicted == 0 ? null : (double)Counts[c, c] / predicted;
    }

    /// <summary>Of the rows of class <paramref name="c"/>, the fraction predicted as such; null when there are none.</summary>
    public double? Recall(int c)
    {
        int support = Support(c);
        return support == 0 ? null : (double)Counts[c, c] / support;
    }

    /// <summary>The rows as arrays, for JSON.</summary>
    public int[][] ToRows() =>
        Enumerable.Range(0, ClassNames.Count).Select(t => Enumerable.Range(0, ClassNames.Count).Select(p => Counts[t, p]).ToArray()).ToArray();
}
