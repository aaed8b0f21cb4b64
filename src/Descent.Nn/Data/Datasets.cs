namespace Descent.Nn.Data;

/// <summary>The embedded data sets under Keras-like names (see <see cref="EmbeddedDatasets"/>); wrap one with <see cref="Dataset.FromTabular"/>.</summary>
public static class Datasets
{
    /// <summary>UCI handwritten digits: 1797 rows of 64 pixel counts, labels 0..9.</summary>
    public static TabularData Digits() => EmbeddedDatasets.Digits();

    /// <summary>Fisher's iris: 150 rows of 4 measurements, 3 species.</summary>
    public static TabularData Iris() => EmbeddedDatasets.Iris();
}
