using Descent.Nn.Layers;
using Descent.Nn.Models;
using static Descent.Nn.Tests.Layers.LayerTesting;
using static Descent.Nn.Tests.Layers.TransformerFixture;

namespace Descent.Nn.Tests.Layers;

/// <summary>keras_hub's TransformerEncoder and TransformerDecoder against PyTorch's TransformerEncoderLayer and TransformerDecoderLayer.</summary>
[OnEveryDevice]
public class TransformerTests
{
    public static IEnumerable<object[]> EncoderCases => Indices("encoder");

    public static IEnumerable<object[]> DecoderCases => Indices("decoder");

    [Theory]
    [MemberData(nameof(EncoderCases))]
    public void Encoder_matches_pytorch(int index)
    {
        var c = Get("encoder")[index];
        var inputs = Inputs(c);
        var x = inputs["inputs"];
        var layer = new TransformerEncoder(c.GetProperty("intermediate_dim").GetInt32(), c.GetProperty("num_heads").GetInt32(),
            activation: c.GetProperty("activation").GetString()!, normalizeFirst: c.GetProperty("normalize_first").GetBoolean(), name: "enc")
        { DType = DType.Float64 };
        layer.Build(x.Shape.Skip(1).ToArray());
        LoadWeights(layer, c.GetProperty("weights"));
        var padding = c.GetProperty("padding_mask") is { ValueKind: System.Text.Json.JsonValueKind.Array } p ? Bools(p, x.Shape[0], x.Shape[1]) : null;
        using var tape = new GradientTape();
        tape.Watch(x);
        AssertMatches(c, layer.Call(x, padding), tape, inputs, layer.Variables, "enc/");
    }

    [Theory]
    [MemberData(nameof(DecoderCases))]
    public void Decoder_matches_pytorch(int index)
    {
        var c = Get("decoder")[index];
        var inputs = Inputs(c);
        var x = inputs["inputs"];
        var encoder = inputs.GetValueOrDefault("encoder");
        var layer = new TransformerDecoder(c.GetProperty("intermediate_dim").GetInt32(), c.GetProperty("num_heads").GetInt32(),
            activation: c.GetProperty("activation").GetString()!, normalizeFirst: c.GetProperty("normalize_first").GetBoolean(), name: "dec")
        { DType = DType.Float64 };
        Tensor? padding = c.TryGetProperty("padding_mask", out var p) && p.ValueKind == System.Text.Json.JsonValueKind.Array ? Bools(p, x.Shape[0], x.Shape[1]) : null;
        Tensor? encoderPadding = c.TryGetProperty("encoder_padding_mask", out var ep) ? Bools(ep, encoder!.Shape[0], encoder.Shape[1]) : null;
        // The first call builds the block (with cross-attention when it gets an encoder sequence); then the weights go in.
        layer.Call(x, encoder, padding, encoderPaddingMask: encoderPadding);
        Assert.Equal(encoder is not null, layer.HasCrossAttention);
        LoadWeights(layer, c.GetProperty("weights"));
        using var tape = new GradientTape();
        foreach (var t in inputs.Values) tape.Watch(t);
        AssertMatches(c, layer.Call(x, encoder, padding, encoderPaddingMask: encoderPadding), tape, inputs, layer.Variables, "dec/");
    }

    [Fact]
    public void Variables_follow_keras_hub_names_and_build_order()
    {
        var encoder = new TransformerEncoder(8, 2, name: "e");
        encoder.Build([3, 4]);
        Assert.Equal(
            ["self_attention/query/kernel", "self_attention/query/bias", "self_attention/key/kernel", "self_attention/key/bias",
             "self_attention/value/kernel", "self_attention/value/bias", "self_attention/attention_output/kernel", "self_attention/attention_output/bias",
             "self_attention_layer_norm/gamma", "self_attention_layer_norm/beta", "feedforward_layer_norm/gamma", "feedforward_layer_norm/beta",
             "feedforward_intermediate_dense/kernel", "feedforward_intermediate_dense/bias", "feedforward_output_dense/kernel", "feedforward_output_dense/bias"],
            encoder.Variables.Select(v => v.Name["e/".Length..]));
        Assert.Equal([4, 2, 2], encoder.Variables[0].Shape);
        var decoder = new TransformerDecoder(8, 2, name: "d");
        decoder.Call(Tensor.Zeros(1, 3, 4), Tensor.Zeros(1, 5, 6));
        Assert.Equal(
            ["self_attention", "self_attention_layer_norm", "cross_attention", "cross_attention_layer_norm",
             "feedforward_intermediate_dense", "feedforward_output_dense", "feedforward_layer_norm"],
            decoder.Variables.Select(v => v.Name.Split('/')[1]).Distinct());
        Assert.Equal([6, 2, 2], decoder.Variables.Single(v => v.Name == "d/cross_attention/key/kernel").Shape);
    }

    [Fact]
    public void Encoder_gradients_match_pre_norm_and_post_norm()
    {
        AssertGradientsMatch(new TransformerEncoder(6, 2, layerNormEpsilon: 1e-3), Random(1, 2, 3, 4));
        AssertGradientsMatch(new TransformerEncoder(6, 2, activation: "gelu", normalizeFirst: true), Random(2, 2, 3, 4));
    }

    [Fact]
    public void Decoder_gradients_match() =>
        AssertGradientsMatch(new TransformerDecoder(6, 2, activation: "gelu", normalizeFirst: true), Random(3, 2, 4, 4));

    [Fact]
    public void Decoder_is_causal_and_its_cache_gives_the_same_outputs()
    {
        var layer = new TransformerDecoder(8, 2, normalizeFirst: true) { DType = DType.Float64 };
        var x = Random(4, 1, 5, 4);
        var whole = layer.Call(x).ToArray<double>();
        // Changing the last position leaves the first four alone.
        var changed = Tensor.Concat([x[.., ..4, ..], Random(5, 1, 1, 4)], axis: 1);
        AssertClose(whole[..16], layer.Call(changed)[.., ..4, ..], 1e-12);
        var cache = new AttentionCache();
        var parts = new List<Tensor> { layer.CallWithCache(x[.., ..3, ..], cache) };
        parts.Add(layer.CallWithCache(x[.., 3..4, ..], cache));
        parts.Add(layer.CallWithCache(x[.., 4..5, ..], cache));
        AssertClose(whole, Tensor.Concat(parts, axis: 1), 1e-12);
    }

    [Fact]
    public void Encoder_in_a_sequential_takes_the_embedding_mask_as_its_padding_mask()
    {
        static Sequential Model()
        {
            var layers = new Layer[] { new Embedding(7, 4, maskZero: true), new TransformerEncoder(8, 2), new Dense(3) };
            foreach (var layer in layers) layer.DType = DType.Float64;
            return new Sequential(layers, seed: 5);
        }
        var model = Model();
        var plain = model.Call(Tensor.FromArray(new[] { 3, 1, 6, 2 }, 1, 4)).ToArray<double>();
        AssertClose(plain, model.Call(Tensor.FromArray(new[] { 3, 1, 6, 2, 0, 0 }, 1, 6))[.., ..4, ..], 1e-12);
    }

    [Fact]
    public void Configs_round_trip()
    {
        foreach (Layer layer in new Layer[]
        {
            new TransformerEncoder(16, 4, 0.1, "gelu", 1e-6, normalizeFirst: true, name: "e"),
            new TransformerDecoder(32, 2, 0.2, "relu", 1e-4, new Descent.Nn.Initializers.RandomNormal(0, 0.02), name: "d"),
        })
        {
            var copy = RoundTrip(layer);
            Assert.IsType(layer.GetType(), copy);
            Assert.Equal(ConfigJson(layer), ConfigJson(copy));
        }
    }

    [Fact]
    public void Bad_arguments_and_inputs_name_the_layer()
    {
        Assert.Contains("intermediate_dim and num_heads must be positive", Assert.Throws<ArgumentException>(() => new TransformerEncoder(0, 2)).Message);
        Assert.Contains("unknown activation 'relux'", Assert.Throws<ArgumentException>(() => new TransformerDecoder(4, 2, activation: "relux")).Message);
        Assert.Contains("layer_norm_epsilon must be positive", Assert.Throws<ArgumentException>(() => new TransformerEncoder(4, 2, layerNormEpsilon: 0)).Message);
        var e = Assert.Throws<ArgumentException>(() => new TransformerEncoder(4, 3, name: "e").Build([2, 4]));
        Assert.Contains("TransformerEncoder 'e': the width 4 is not a multiple of num_heads 3", e.Message);
        var selfOnly = new TransformerDecoder(4, 2, name: "d");
        selfOnly.Call(Tensor.Zeros(1, 2, 4));
        e = Assert.Throws<ArgumentException>(() => selfOnly.Call(Tensor.Zeros(1, 2, 4), Tensor.Zeros(1, 3, 4)));
        Assert.Contains("was built without cross-attention", e.Message);
        var cross = new TransformerDecoder(4, 2, name: "c");
        cross.Call(Tensor.Zeros(1, 2, 4), Tensor.Zeros(1, 3, 4));
        Assert.Contains("needs an encoder sequence", Assert.Throws<ArgumentException>(() => cross.Call(Tensor.Zeros(1, 2, 4))).Message);
        Assert.Contains("cannot run with a cache", Assert.Throws<ArgumentException>(() => cross.CallWithCache(Tensor.Zeros(1, 2, 4), new AttentionCache())).Message);
    }

    [Fact]
    public void Float64_inputs_are_cast_to_the_layers_dtype_as_keras_autocasts()
    {
        var x = Random(6, 1, 3, 4);
        var encoder = new TransformerEncoder(8, 2);
        Assert.Equal(DType.Float32, encoder.Call(x).DType);
        AssertClose(encoder.Call(x.Cast(DType.Float32)).ToArray<double>(), encoder.Call(x, paddingMask: null), 0);
        var decoder = new TransformerDecoder(8, 2);
        Assert.Equal(DType.Float32, decoder.Call(x, x).DType); // the encoder sequence too
        var cached = new TransformerDecoder(8, 2);
        Assert.Equal(DType.Float32, cached.CallWithCache(x, new AttentionCache()).DType);
        Assert.Equal(DType.Float32, new MultiHeadAttention(2, 2).Call(x, x).DType);
    }
}
