namespace Descent.Nn.Data;

/// <summary>
/// Rescales each feature column to [0, 1] by (x − min) / (max − min), with min and max fitted on training rows only, as
/// scikit-learn's MinMaxScaler; test rows may fall outside [0, 1]. A constant column has a range of 0, which is stored as 1
/// so that it maps to 0 rather than to NaN. The state is the public <see cref="Min"/> and <see cref="Range"/> arrays.
/// </summary>
public sealed class MinMaxScaler : IScaler
{
    /// <summary>The minimum of each column.</summary>
    public float[] Min { get; }

    /// <summary>The number of columns: the length of <see cref="Min"/> and <see cref="Range"/>.</summary>
    public int Columns => Min.Length;

    /// <summary>max − min of each column (1 where it was 0).</summary>
    public float[] Range { get; }

    /// <summary>Recreates a fitted scaler from saved state; both arrays must have one positive-range entry per column.</summary>
    public MinMaxScaler(float[] min, float[] range)
    {
        ArgumentNullException.ThrowIfNull(min);
        ArgumentNullException.ThrowIfNull(range);
        if (min.Length != range.Length || min.Length == 0)
            throw new ArgumentException($"MinMaxScaler: {min.Length} minimums and {range.Length} ranges; they must match and be non-empty.", nameof(range));
        foreach (float r in range)
            if (!(r > 0 && float.IsFinite(r)))
                throw new ArgumentException($"MinMaxScaler: range {r} is not a positive finite number.", nameof(range));
        Min = min;
        Range = range;
    }

    /// <summary>Fits the per-column minimum and range of every row of <paramref name="data"/> (pass the training subset).</summary>
    public static MinMaxScaler Fit(TabularData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rows == 0)
            throw new ArgumentException($"MinMaxScaler.Fit: '{data.Source}' has no rows.", nameof(data));
        int columns = data.Columns;
        ReadOnlySpan<float> x = data.Features;
        var min = x[..columns].ToArray();
        var max = x[..columns].ToArray();
        for (int start = columns; start < x.Length; start += columns)
            for (int c = 0; c < columns; c++)
            {
                min[c] = Math.Min(min[c], x[start + c]);
                max[c] = Math.Max(max[c], x[start + c]);
            }
        var range = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            float r = max[c] - min[c];
            range[c] = r > 0 ? r : 1f;
        }
        return new MinMaxScaler(min, range);
    }

    /// <summary>Returns a copy of <paramref name="data"/> with rescaled features; labels, targets and names are shared.</summary>
    public TabularData Transform(TabularData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var features = (float[])data.Features.Clone();
        TransformInPlace(features, data.Columns, data.Source);
        return data.WithFeatures(features);
    }

    /// <summary>Rescales row-major <paramref name="features"/> with <see cref="Min"/>.Length columns, in place.</summary>
    public void TransformInPlace(Span<float> features) => TransformInPlace(features, Min.Length, "features");

    private void TransformInPlace(Span<float> features, int columns, string source)
    {
        if (columns != Min.Length || features.Length % columns != 0)
            throw new ArgumentException($"MinMaxScaler: '{source}' has {columns} columns ({features.Length} values) but the scaler was fitted on {Min.Length}.");
        for (int start = 0; start < features.Length; start += columns)
        {
            var row = features.Slice(start, columns);
            for (int c = 0; c < columns; c++)
                row[c] = (row[c] - Min[c]) / Range[c];
        }
    }
}
