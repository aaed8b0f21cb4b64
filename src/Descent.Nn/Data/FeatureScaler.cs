namespace Descent.Nn.Data;

/// <summary>
/// Standardizes each feature column to zero mean and unit standard deviation, with statistics fitted on training rows
/// only (so nothing leaks from the test rows). A constant column has a standard deviation of 0, which is stored as 1
/// so that it maps to 0 rather than to NaN. The state is the public <see cref="Mean"/> and <see cref="Std"/> arrays.
/// </summary>
public sealed class FeatureScaler : IScaler
{
    /// <summary>The mean of each column.</summary>
    public float[] Mean { get; }

    /// <summary>The number of columns: the length of <see cref="Mean"/> and <see cref="Std"/>.</summary>
    public int Columns => Mean.Length;

    /// <summary>The population standard deviation of each column (1 where it was 0).</summary>
    public float[] Std { get; }

    /// <summary>Recreates a fitted scaler from saved state; both arrays must have one positive-std entry per column.</summary>
    public FeatureScaler(float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length != std.Length || mean.Length == 0)
            throw new ArgumentException($"FeatureScaler: {mean.Length} means and {std.Length} standard deviations; they must match and be non-empty.", nameof(std));
        foreach (float s in std)
            if (!(s > 0 && float.IsFinite(s)))
                throw new ArgumentException($"FeatureScaler: standard deviation {s} is not a positive finite number.", nameof(std));
        Mean = mean;
        Std = std;
    }

    /// <summary>Fits the per-column mean and standard deviation of every row of <paramref name="data"/> (pass the training subset).</summary>
    public static FeatureScaler Fit(TabularData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rows == 0)
            throw new ArgumentException($"FeatureScaler.Fit: '{data.Source}' has no rows.", nameof(data));
        int columns = data.Columns, rows = data.Rows;
        ReadOnlySpan<float> x = data.Features;
        // Two passes in double: exact 0 for a constant column, and no cancellation as in E[x²] − E[x]².
        var mean = new double[columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                mean[c] += x[r * columns + c];
        for (int c = 0; c < columns; c++) mean[c] /= rows;
        var variance = new double[columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                double d = x[r * columns + c] - mean[c];
                variance[c] += d * d;
            }
        var std = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            float s = (float)Math.Sqrt(variance[c] / rows);
            std[c] = s > 0 ? s : 1f;
        }
        return new FeatureScaler(Array.ConvertAll(mean, m => (float)m), std);
    }

    /// <summary>Returns a copy of <paramref name="data"/> with standardized features; labels, targets and names are shared.</summary>
    public TabularData Transform(TabularData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var features = (float[])data.Features.Clone();
        TransformInPlace(features, data.Columns, data.Source);
        return data.WithFeatures(features);
    }

    /// <summary>Standardizes row-major <paramref name="features"/> with <see cref="Mean"/>.Length columns, in place.</summary>
    public void TransformInPlace(Span<float> features) => TransformInPlace(features, Mean.Length, "features");

    private void TransformInPlace(Span<float> features, int columns, string source)
    {
        if (columns != Mean.Length || features.Length % columns != 0)
            throw new ArgumentException($"FeatureScaler: '{source}' has {columns} columns ({features.Length} values) but the scaler was fitted on {Mean.Length}.");
        for (int start = 0; start < features.Length; start += columns)
        {
            var row = features.Slice(start, columns);
            for (int c = 0; c < columns; c++)
                row[c] = (row[c] - Mean[c]) / Std[c];
        }
    }
}
