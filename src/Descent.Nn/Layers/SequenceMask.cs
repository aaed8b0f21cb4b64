namespace Descent.Nn.Layers;

// The checks and conversion every mask-taking layer applies to a [batch, time] mask.
internal static class SequenceMask
{
    /// <summary>The mask as bool [batch, time] (non-zero is true); throws naming the layer when it does not fit the input.</summary>
    public static Tensor Check(Layer layer, Tensor mask, Tensor inputs)
    {
        if (mask.Rank != 2 || mask.Shape[0] != inputs.Shape[0] || mask.Shape[1] != inputs.Shape[1])
            throw LayerArgs.Error(layer, $"the mask must be [batch, time] = [{inputs.Shape[0]},{inputs.Shape[1]}] for input {LayerArgs.Format(inputs.Shape)}, got {LayerArgs.Format(mask.Shape)}.");
        if (mask.Device != inputs.Device)
            throw LayerArgs.Error(layer, $"the mask is on {mask.Device} but the input is on {inputs.Device}.");
        return mask.DType == DType.Bool ? mask : Tensor.NotEqual(mask, Tensor.Scalar(0, mask.DType, mask.Device));
    }
}
