namespace Descent.Nn.Layers;

/// <summary>The mean of each window, per channel; with "same" padding only the real (unpadded) elements count, as in Keras.</summary>
public sealed class AveragePooling2D : Pooling2D
{
    /// <summary>Creates the layer with square windows; strides default to the pool size.</summary>
    public AveragePooling2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null)
        : base((poolSize, poolSize), strides is int s ? (s, s) : null, padding, name)
    {
    }

    /// <summary>Creates the layer; throws ArgumentException for non-positive sizes or an unknown padding.</summary>
    public AveragePooling2D((int Height, int Width) poolSize, (int Height, int Width)? strides = null, string padding = "valid", string? name = null)
        : base(poolSize, strides, padding, name)
    {
    }

    /// <summary>The inverse of <see cref="Pooling2D.GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static AveragePooling2D FromConfig(LayerConfig c)
    {
        var (poolSize, strides, padding) = ReadConfig(c);
        return new AveragePooling2D(poolSize, strides, padding, c.Name);
    }

    /// <inheritdoc/>
    protected override Tensor Pool(Tensor inputs)
    {
        if (Padding == "valid") return Patches(inputs, 0).Mean([3, 4]);
        // Count the real elements in each window by pooling a ones image padded with zeros.
        var ones = Tensor.Ones([1, inputs.Shape[1], inputs.Shape[2], 1], inputs.DType, inputs.Device);
        return Patches(inputs, 0).Sum([3, 4]) / Patches(ones, 0).Sum([3, 4]);
    }
}
