using Descent.Nn.Layers;
using Descent.Nn.Models;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

/// <summary>The Masking layer, and its mask reaching the layers after it inside a Sequential model.</summary>
[OnEveryDevice]
public class MaskingTests
{
    // Two sequences of three steps; the second has a padding step (all features 0) in the middle.
    private static Tensor X => Tensor.FromArray(new double[] { 1, 2, 0, 3, 4, 0, 5, 6, 0, 0, 7, 0 }, 2, 3, 2);

    [Fact]
    public void Steps_whose_features_all_equal_the_mask_value_are_masked_and_zeroed()
    {
        var masking = new Masking(0);
        Assert.Equal([true, true, true, true, false, true], masking.ComputeMask(X, null)!.ToArray<bool>());
        AssertClose(X.ToArray<double>(), masking.Call(X));
        var nines = new Masking(9).Call(Tensor.FromArray(new[] { 9.0, 9, 9, 1 }, 1, 2, 2));
        AssertClose([0, 0, 9, 1], nines);
        Assert.Equal([3, 2], masking.ComputeOutputShape([3, 2]));
        var configured = new Masking(-1);
        Assert.Equal(ConfigJson(configured), ConfigJson(RoundTrip(configured)));
    }

    [Fact]
    public void A_sequential_model_passes_the_mask_to_the_recurrent_layer()
    {
        var lstm = new LSTM(3) { DType = DType.Float64 };
        var model = new Sequential([new Masking() { DType = DType.Float64 }, lstm], seed: 2);
        var viaModel = model.Call(X);
        var direct = lstm.Call(X, mask: new Masking().ComputeMask(X, null));
        var unmasked = lstm.Call(X);
        Assert.Equal(direct.ToArray<double>(), viaModel.ToArray<double>());
        Assert.NotEqual(unmasked.ToArray<double>()[3..], viaModel.ToArray<double>()[3..]); // the mask changed sample 2
        Assert.Equal(unmasked.ToArray<double>()[..3], viaModel.ToArray<double>()[..3]); // and nothing of sample 1
    }

    [Fact]
    public void The_mask_goes_through_a_sequence_output_and_stops_at_a_pooling()
    {
        var gru = new GRU(2, returnSequences: true) { DType = DType.Float64 };
        var pooled = new Sequential([new Masking() { DType = DType.Float64 }, gru, new GlobalAveragePooling1D()], seed: 3).Call(X).ToArray<double>();
        var steps = gru.Call(X, mask: new Masking().ComputeMask(X, null)).ToArray<double>();
        // Sample 2 averages its steps 0 and 2 only; sample 1 all three.
        for (int u = 0; u < 2; u++)
        {
            Assert.Equal((steps[u] + steps[2 + u] + steps[4 + u]) / 3, pooled[u], 12);
            Assert.Equal((steps[6 + u] + steps[10 + u]) / 2, pooled[2 + u], 12);
        }
    }
}
