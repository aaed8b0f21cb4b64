namespace Descent.Nn.Layers;

/// <summary>
/// The maximum of each window, per channel, as <see cref="Tensor.MaxPool2D"/>: "same" padding never wins, and the
/// gradient goes to the first maximum of each window, as in Keras.
/// </summary>
public sealed class MaxPooling2D : Pooling2D
{
    /// <summary>Creates the layer with square windows; strides default to the pool size.</summary>
    public MaxPooling2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null)
        : base((poolSize, poolSize), strides is int s ? (s, s) : null, padding, name)
    {
    }

    /// <summary>Creates the layer; throws ArgumentException for non-positive sizes or an unknown padding.</summary>
    public MaxPooling2D((int Height, int Width) poolSize, (int Height, int Width)? strides = null, string padding = "valid", string? name = null)
        : base(poolSize, strides, padding, name)
    {
    }

    /// <summary>The inverse of <see cref="Pooling2D.GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static MaxPooling2D FromConfig(LayerConfig c)
    {
        var (poolSize, strides, padding) = ReadConfig(c);
        return new MaxPooling2D(poolSize, strides, padding, c.Name);
    }

    /// <inheritdoc/>
    protected override Tensor Pool(Tensor inputs) => Tensor.MaxPool2D(inputs, PoolSize, Strides, Padding);
}
