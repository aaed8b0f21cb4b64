namespace Descent.Nn.Data;

/// <summary>
/// A fitted per-column transform of feature values, such as <see cref="FeatureScaler"/> (standardization) or
/// <see cref="MinMaxScaler"/> (rescaling to [0, 1]), so that code can scale training and new rows alike without
/// knowing which one it holds.
/// </summary>
public interface IScaler
{
    /// <summary>The number of feature columns the scaler was fitted on.</summary>
    int Columns { get; }

    /// <summary>Returns a copy of <paramref name="data"/> with scaled features; labels, targets and names are shared.</summary>
    TabularData Transform(TabularData data);

    /// <summary>Scales row-major <paramref name="features"/> with <see cref="Columns"/> columns, in place.</summary>
    void TransformInPlace(Span<float> features);
}
