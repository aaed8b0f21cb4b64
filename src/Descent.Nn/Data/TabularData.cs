namespace Descent.Nn.Data;

/// <summary>
/// A table of float features (row-major, <see cref="Rows"/> × <see cref="Columns"/>) with one target per row:
/// a class index in <see cref="Labels"/> for classification, or a number in <see cref="Targets"/> for regression.
/// </summary>
public sealed class TabularData
{
    /// <summary>Features, row-major: the value of column <c>c</c> in row <c>r</c> is at <c>r * Columns + c</c>.</summary>
    public float[] Features { get; }

    /// <summary>The class index of each row, in [0, <see cref="ClassCount"/>); null for regression data.</summary>
    public int[]? Labels { get; }

    /// <summary>The numeric target of each row; null for classification data.</summary>
    public float[]? Targets { get; }

    /// <summary>The number of rows (examples).</summary>
    public int Rows { get; }

    /// <summary>The number of feature columns.</summary>
    public int Columns => FeatureNames.Count;

    /// <summary>The name of each feature column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The name of each class, indexed by label; empty for regression data.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Where the data came from: a file path, or the name of an embedded data set.</summary>
    public string Source { get; }

    /// <summary>The number of classes; 0 for regression data.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>True when the rows carry class labels, false when they carry numeric targets.</summary>
    public bool IsClassification => Labels is not null;

    /// <summary>Classification data: every label must index <paramref name="classNames"/>.</summary>
    public TabularData(float[] features, IReadOnlyList<string> featureNames, int[] labels, IReadOnlyList<string> classNames, string source)
        : this(features, featureNames, labels?.Length ?? throw new ArgumentNullException(nameof(labels)), classNames, source)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count == 0)
            throw new ArgumentException($"TabularData '{source}': classification data needs at least one class name.", nameof(classNames));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentException(
                    $"TabularData '{source}': label {labels[i]} of row {i} is outside [0, {classNames.Count}) (the class count).", nameof(labels));
        Labels = labels;
    }

    /// <summary>Regression data: one numeric target per row.</summary>
    public TabularData(float[] features, IReadOnlyList<string> featureNames, float[] targets, string source)
        : this(features, featureNames, targets?.Length ?? throw new ArgumentNullException(nameof(targets)), [], source)
    {
        Targets = targets;
    }

    private TabularData(float[] features, IReadOnlyList<string> featureNames, int rows, IReadOnlyList<string> classNames, string source)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(source);
        if (featureNames.Count == 0)
            throw new ArgumentException($"TabularData '{source}': at least one feature column is needed.", nameof(featureNames));
        if (features.Length != (long)rows * featureNames.Count)
            throw new ArgumentException(
                $"TabularData '{source}': {features.Length} feature values do not fill {rows} rows × {featureNames.Count} columns.", nameof(features));
        Features = features;
        FeatureNames = featureNames;
        ClassNames = classNames;
        Rows = rows;
        Source = source;
    }

    /// <summary>A copy holding the given rows, in the given order (repeats allowed); names and classes are shared.</summary>
    public TabularData Subset(ReadOnlySpan<int> rowIndices)
    {
        int columns = Columns;
        var features = new float[rowIndices.Length * columns];
        for (int i = 0; i < rowIndices.Length; i++)
        {
            int row = rowIndices[i];
            if ((uint)row >= (uint)Rows)
                throw new ArgumentOutOfRangeException(nameof(rowIndices), row, $"Subset of '{Source}': row index outside [0, {Rows}).");
            Features.AsSpan(row * columns, columns).CopyTo(features.AsSpan(i * columns));
        }
        if (Labels is { } labels)
        {
            var subsetLabels = new int[rowIndices.Length];
            for (int i = 0; i < subsetLabels.Length; i++) subsetLabels[i] = labels[rowIndices[i]];
            return new TabularData(features, FeatureNames, subsetLabels, ClassNames, Source);
        }
        var targets = new float[rowIndices.Length];
        for (int i = 0; i < targets.Length; i++) targets[i] = Targets![rowIndices[i]];
        return new TabularData(features, FeatureNames, targets, Source);
    }

    /// <summary>The same rows and targets with other feature values (same shape), for example scaled ones.</summary>
    public TabularData WithFeatures(float[] features) => Labels is { } labels
        ? new TabularData(features, FeatureNames, labels, ClassNames, Source)
        : new TabularData(features, FeatureNames, Targets!, Source);
}
