namespace Descent.Nn.Data;

/// <summary>
/// One-hot encoding of class labels, for losses and metrics that take one-hot targets (categorical cross-entropy).
/// Unlike <see cref="Tensor.OneHot"/>, which gives an all-zero row for an out-of-range index as TensorFlow does, a label
/// outside [0, classes) here is an error: in a label array it is a bug, not a padding value.
/// </summary>
public static class OneHotEncoder
{
    /// <summary>Row-major [labels.Length, classes] floats with a 1 at each row's label.</summary>
    public static float[] Encode(int[] labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, $"OneHotEncoder: classes must be at least 1, got {classes}.");
        var result = new float[labels.Length * classes];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"OneHotEncoder: label {labels[i]} at index {i} is outside [0, {classes}).", nameof(labels));
            result[i * classes + labels[i]] = 1;
        }
        return result;
    }

    /// <summary>The same encoding as a tensor of shape [labels.Length, classes].</summary>
    public static Tensor EncodeTensor(int[] labels, int classes, DType dtype = DType.Float32) =>
        Tensor.FromArray(Encode(labels, classes), labels.Length, classes).Cast(dtype);
}
