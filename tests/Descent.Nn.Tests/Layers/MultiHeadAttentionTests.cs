using Descent.Nn.Layers;
using Descent.Nn.Models;
using static Descent.Nn.Tests.Layers.LayerTesting;
using static Descent.Nn.Tests.Layers.TransformerFixture;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class MultiHeadAttentionTests
{
    public static IEnumerable<object[]> Cases => Indices("multi_head_attention");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_scores_and_gradients_match_pytorch_with_keras_weights(int index)
    {
        var c = Get("multi_head_attention")[index];
        int? valueDim = c.GetProperty("value_dim").ValueKind == System.Text.Json.JsonValueKind.Null ? null : c.GetProperty("value_dim").GetInt32();
        int? outputShape = c.GetProperty("output_shape").ValueKind == System.Text.Json.JsonValueKind.Null ? null : c.GetProperty("output_shape").GetInt32();
        var layer = new MultiHeadAttention(c.GetProperty("num_heads").GetInt32(), c.GetProperty("key_dim").GetInt32(), valueDim,
            useBias: c.GetProperty("use_bias").GetBoolean(), outputShape: outputShape, name: "mha") { DType = DType.Float64 };
        var inputs = Inputs(c);
        var query = inputs["query"];
        var value = inputs.GetValueOrDefault("value") ?? query;
        var key = inputs.GetValueOrDefault("key");
        int batch = query.Shape[0], tq = query.Shape[1], tv = value.Shape[1];
        layer.Build(query.Shape.Skip(1).ToArray(), value.Shape.Skip(1).ToArray(), key?.Shape.Skip(1).ToArray());
        LoadWeights(layer, c.GetProperty("weights"));
        Tensor? attentionMask = c.TryGetProperty("attention_mask", out var am) ? Bools(am, batch, tq, tv) : null;
        Tensor? queryMask = c.TryGetProperty("query_mask", out var qm) ? Bools(qm, batch, tq) : null;
        Tensor? valueMask = c.TryGetProperty("value_mask", out var vm) ? Bools(vm, batch, tv) : null;

        using var tape = new GradientTape();
        foreach (var x in inputs.Values) tape.Watch(x);
        var (y, scores) = layer.CallWithScores(query, value, key, attentionMask, c.GetProperty("causal").GetBoolean(),
            queryMask: queryMask, valueMask: valueMask);
        FixtureFile.AssertClose(c.GetProperty("scores").Doubles(), scores.ToArray<double>(), 1e-10, "scores");
        Assert.Equal([batch, layer.NumHeads, tq, tv], scores.Shape);
        AssertMatches(c, y, tape, inputs, layer.Variables, "mha/");
    }

    [Fact]
    public void Weights_have_keras_names_layouts_and_order()
    {
        var layer = new MultiHeadAttention(4, 3, valueDim: 2, outputShape: 7, name: "att");
        layer.Build([5, 6], [9, 8], [9, 10]);
        Assert.Equal(
            ["att/query/kernel", "att/query/bias", "att/key/kernel", "att/key/bias", "att/value/kernel", "att/value/bias",
             "att/attention_output/kernel", "att/attention_output/bias"],
            layer.Variables.Select(v => v.Name));
        Assert.Equal([[6, 4, 3], [4, 3], [10, 4, 3], [4, 3], [8, 4, 2], [4, 2], [4, 2, 7], [7]], layer.Variables.Select(v => v.Shape.ToArray()));
        Assert.Equal([5, 7], layer.ComputeOutputShape([5, 6]));
    }

    [Fact]
    public void Gradients_w_r_t_input_and_weights_match_as_self_attention() =>
        AssertGradientsMatch(new MultiHeadAttention(2, 2, valueDim: 3, outputShape: 3), Random(1, 2, 3, 4));

    [Fact]
    public void Causal_self_attention_with_a_cache_equals_the_whole_sequence_at_once()
    {
        var layer = new MultiHeadAttention(2, 3) { DType = DType.Float64 };
        var x = Random(2, 1, 5, 4);
        var whole = layer.Call(x, x, useCausalMask: true).ToArray<double>();
        var prefill = new AttentionCache();
        AssertClose(whole, layer.CallWithCache(x, prefill), 1e-12);
        Assert.Equal(5, prefill.Length);

        // Two positions, then one at a time: each sees the cached ones and itself.
        var cache = new AttentionCache();
        var parts = new List<Tensor> { layer.CallWithCache(x[.., ..2, ..], cache) };
        for (int t = 2; t < 5; t++) parts.Add(layer.CallWithCache(x[.., t..(t + 1), ..], cache));
        AssertClose(whole, Tensor.Concat(parts, axis: 1), 1e-12);
        // Three more after two: a block of new positions in the middle of a sequence takes the shifted triangle.
        cache.Clear();
        layer.CallWithCache(x[.., ..2, ..], cache);
        AssertClose(whole[(2 * 4)..], layer.CallWithCache(x[.., 2.., ..], cache), 1e-12);
    }

    [Fact]
    public void In_a_sequential_it_is_self_attention_that_reads_the_embedding_mask()
    {
        // Padding (id 0) at the end changes nothing at the real positions, because no query attends to it.
        static Sequential Model(bool maskZero)
        {
            var layers = new Layer[] { new Embedding(9, 6, maskZero: maskZero), new Dense(6), new MultiHeadAttention(2, 3) };
            foreach (var layer in layers) layer.DType = DType.Float64;
            return new Sequential(layers, seed: 3);
        }
        var masked = Model(true);
        var plain = masked.Call(Tensor.FromArray(new[] { 4, 2, 7 }, 1, 3)).ToArray<double>();
        AssertClose(plain, masked.Call(Tensor.FromArray(new[] { 4, 2, 7, 0, 0 }, 1, 5))[.., ..3, ..], 1e-12);
        // Without the mask, the padding does change them.
        var unmasked = Model(false);
        var changed = unmasked.Call(Tensor.FromArray(new[] { 4, 2, 7, 0, 0 }, 1, 5))[.., ..3, ..].ToArray<double>();
        Assert.True(plain.Zip(changed).Max(p => Math.Abs(p.First - p.Second)) > 1e-6);
    }

    [Fact]
    public void Config_round_trips()
    {
        var layer = new MultiHeadAttention(3, 4, valueDim: 5, dropout: 0.25, useBias: false, outputShape: 6, seed: 9, name: "m");
        var copy = (MultiHeadAttention)RoundTrip(layer);
        Assert.Equal(ConfigJson(layer), ConfigJson(copy));
        Assert.Equal(5, copy.ValueDim);
        Assert.Equal(6, copy.OutputShape);
        Assert.Equal(9, copy.Seed);
        Assert.False(copy.UseBias);
    }

    [Fact]
    public void Dropout_acts_in_training_only_and_is_seeded()
    {
        var x = Random(3, 2, 4, 6);
        MultiHeadAttention Layer() => new(2, 3, dropout: 0.5, seed: 4) { DType = DType.Float64 };
        var a = Layer();
        var b = Layer();
        a.Build([4, 6], new Generator(1));
        b.Build([4, 6], new Generator(1));
        Assert.Equal(a.Call(x, x).ToArray<double>(), a.Call(x, x, training: false).ToArray<double>());
        var trained = a.Call(x, x, training: true).ToArray<double>();
        Assert.NotEqual(a.Call(x, x).ToArray<double>(), trained);
        Assert.Equal(trained, b.Call(x, x, training: true).ToArray<double>());
    }

    [Fact]
    public void Bad_inputs_name_the_layer_and_what_was_wrong()
    {
        Assert.Contains("num_heads, key_dim, value_dim and output_shape must be positive", Assert.Throws<ArgumentException>(() => new MultiHeadAttention(0, 2)).Message);
        Assert.Contains("dropout must be in [0, 1)", Assert.Throws<ArgumentException>(() => new MultiHeadAttention(2, 2, dropout: 1)).Message);
        var layer = new MultiHeadAttention(2, 2, name: "a");
        var e = Assert.Throws<ArgumentException>(() => layer.Call(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3)));
        Assert.Contains("MultiHeadAttention 'a': expects the query as [batch, time, features], got [2,3]", e.Message);
        layer.Call(Tensor.Zeros(1, 2, 4), Tensor.Zeros(1, 3, 4));
        e = Assert.Throws<ArgumentException>(() => layer.Call(Tensor.Zeros(1, 2, 4), Tensor.Zeros(1, 3, 5)));
        Assert.Contains("was built for key features 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => layer.Call(Tensor.Zeros(1, 2, 4), Tensor.Zeros(1, 3, 4), attentionMask: Tensor.Ones([1, 3, 3], DType.Bool)));
        Assert.Contains("the attention mask has shape [1,3,3], expected [1,2,3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => layer.Call(Tensor.Zeros(1, 2, 4), Tensor.Zeros(2, 3, 4)));
        Assert.Contains("need one batch size", e.Message);
    }
}
