using Descent.Nn.Layers;
using Descent.Nn.Models;
using static Descent.Nn.Tests.Layers.LayerTesting;
using static Descent.Nn.Tests.Layers.TransformerFixture;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class TokenAndPositionEmbeddingTests
{
    [Fact]
    public void Values_and_table_gradients_match_pytorch()
    {
        var c = Get("token_and_position_embedding");
        var layer = new TokenAndPositionEmbedding(c.GetProperty("vocabulary_size").GetInt32(), c.GetProperty("sequence_length").GetInt32(),
            c.GetProperty("embedding_dim").GetInt32(), name: "emb") { DType = DType.Float64 };
        var ids = Tensor.FromArray(c.GetProperty("ids").Ints(), [2, 4], null);
        layer.Build([4]);
        LoadWeights(layer, c.GetProperty("weights"));
        using var tape = new GradientTape();
        AssertMatches(c, layer.Call(ids), tape, new Dictionary<string, Tensor>(), layer.Variables, "emb/");
    }

    [Fact]
    public void A_start_index_places_the_tokens_later_in_the_sequence()
    {
        var layer = new TokenAndPositionEmbedding(5, 6, 3) { DType = DType.Float64 };
        var ids = Tensor.FromArray(new[] { 1, 4, 2, 0, 3, 1 }, 1, 6);
        var whole = layer.Call(ids).ToArray<double>();
        AssertClose(whole[(4 * 3)..], layer.Call(ids[.., 4..], startIndex: 4), 0);
        var e = Assert.Throws<ArgumentException>(() => layer.Call(ids[.., 2..], startIndex: 3));
        Assert.Contains("positions 3 to 6 are outside the sequence length 6", e.Message);
        // A bad id is caught on the device; an asynchronous device reports it at the next read.
        e = Assert.Throws<ArgumentException>(() => layer.Call(Tensor.FromArray(new[] { 5 }, 1, 1)).ToArray<double>());
        Assert.Contains("token id 5 is outside [0, 5)", e.Message);
    }

    [Fact]
    public void Mask_zero_marks_the_padding_and_weights_have_keras_hub_names()
    {
        var layer = new TokenAndPositionEmbedding(5, 4, 2, maskZero: true, name: "tp");
        var ids = Tensor.FromArray(new[] { 3, 0, 2, 0 }, 2, 2);
        Assert.Equal([true, false, true, false], layer.ComputeMask(ids, null)!.ToArray<bool>());
        Assert.Null(new TokenAndPositionEmbedding(5, 4, 2).ComputeMask(ids, null));
        layer.Build([2]);
        Assert.Equal(["tp/token_embedding/embeddings", "tp/position_embedding/embeddings"], layer.Variables.Select(v => v.Name));
        Assert.Equal([[5, 2], [4, 2]], layer.Variables.Select(v => v.Shape.ToArray()));
        Assert.Equal(ConfigJson(layer), ConfigJson(RoundTrip(layer)));
    }

    [Fact]
    public void Gradients_w_r_t_both_tables_match() =>
        AssertGradientsMatch(new TokenAndPositionEmbedding(6, 5, 3), Tensor.FromArray(new long[] { 1, 5, 0, 2, 2, 4 }, 2, 3));

    [Fact]
    public void Embedding_mask_zero_is_saved_in_its_config()
    {
        var layer = new Embedding(4, 2, maskZero: true);
        Assert.True(((Embedding)RoundTrip(layer)).MaskZero);
        Assert.Equal([false, true], layer.ComputeMask(Tensor.FromArray(new[] { 0, 3 }, 1, 2), null)!.ToArray<bool>());
        Assert.Null(new Embedding(4, 2).ComputeMask(Tensor.FromArray(new[] { 0, 3 }, 1, 2), null));
    }

    [Fact]
    public void Embedding_padding_reaches_a_recurrent_layer_which_carries_its_state_over_it()
    {
        // An LSTM's last output after [3, 1, 0, 0] is its output after [3, 1]: the masked steps carry the state forward.
        static Sequential Model(bool maskZero)
        {
            var layers = new Layer[] { new Embedding(7, 4, maskZero: maskZero), new LSTM(3) };
            foreach (var layer in layers) layer.DType = DType.Float64;
            return new Sequential(layers, seed: 2);
        }
        var model = Model(true);
        var plain = model.Call(Tensor.FromArray(new[] { 3, 1 }, 1, 2)).ToArray<double>();
        AssertClose(plain, model.Call(Tensor.FromArray(new[] { 3, 1, 0, 0 }, 1, 4)), 1e-12);
        var unmasked = Model(false).Call(Tensor.FromArray(new[] { 3, 1, 0, 0 }, 1, 4)).ToArray<double>();
        Assert.True(plain.Zip(unmasked).Max(p => Math.Abs(p.First - p.Second)) > 1e-6);
    }
}
