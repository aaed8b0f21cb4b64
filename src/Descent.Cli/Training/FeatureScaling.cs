namespace Descent.Cli.Training;

/// <summary>
/// How raw feature values become model inputs, x' = (x − Offset) / Scale per column: "standard" (Offset = mean,
/// Scale = std, fitted on the training rows) or "minmax" (Offset = min, Scale = range; digits use the fixed pixel
/// range 0..16). Saved in the model's metadata so that predict scales new rows the same way.
/// </summary>
internal sealed record FeatureScaling(string Kind, float[] Offset, float[] Scale)
{
    public const string Standard = "standard";
    public const string MinMax = "minmax";

    /// <summary>Scales row-major <paramref name="features"/> (one value per column of <see cref="Offset"/>) in place.</summary>
    public void Apply(Span<float> features)
    {
        int columns = Offset.Length;
        if (features.Length % columns != 0)
            throw new ArgumentException($"FeatureScaling: {features.Length} values are not whole rows of {columns} columns.");
        for (int start = 0; start < features.Length; start += columns)
            for (int c = 0; c < columns; c++)
                features[start + c] = (features[start + c] - Offset[c]) / Scale[c];
    }

    /// <summary>The names of the two arrays in the metadata, as the scalers call them.</summary>
    public (string Offset, string Scale) Names => Kind == Standard ? ("mean", "std") : ("min", "range");
}
