using Descent.Nn.Layers;
using Descent.Nn.Language;

namespace Descent.Nn.Tests.DeviceGuard;

/// <summary>
/// Leak guard for the attention layers and generation: built by their first call on data that lives on the device
/// under test while another device is the default, they keep weights, outputs, masks, caches and gradients on the data's
/// device, with the CPU's values.
/// </summary>
[OnEveryDevice]
public class AttentionDeviceGuardTests
{
    private readonly Device _device = Device.Default;

    private static readonly Dictionary<string, Func<Device, List<(string, Tensor)>>> Cases = new()
    {
        ["multi-head self-attention with the embedding mask"] = device => Run(device, new Layer[] { new Embedding(6, 4, maskZero: true), new MultiHeadAttention(2, 2) }),
        ["multi-head cross-attention, causal, with scores and dropout"] = device =>
        {
            var layer = new MultiHeadAttention(2, 3, valueDim: 2, dropout: 0.3, seed: 1);
            var q = Floats([2, 3, 4], device);
            var v = Floats([2, 5, 3], device);
            var mask = Tensor.Greater(Floats([2, 3, 5], device), Tensor.Scalar(-0.5, DType.Float32, device));
            using var tape = new GradientTape();
            tape.Watch([q, v]);
            var (y, scores) = layer.CallWithScores(q, v, attentionMask: mask, useCausalMask: true, training: true);
            return Collect(layer, tape, y, [q, v], ("scores", scores));
        },
        ["transformer encoder with a padding mask"] = device =>
        {
            var layer = new TransformerEncoder(8, 2, normalizeFirst: true);
            var x = Floats([2, 3, 4], device);
            var padding = Tensor.FromArray(new[] { true, true, false, true, true, true }, [2, 3], device);
            using var tape = new GradientTape();
            tape.Watch(x);
            return Collect(layer, tape, layer.Call(x, padding), [x]);
        },
        ["transformer decoder with cross-attention"] = device =>
        {
            var layer = new TransformerDecoder(8, 2, activation: "gelu");
            var x = Floats([2, 3, 4], device);
            var encoder = Floats([2, 4, 4], device);
            using var tape = new GradientTape();
            tape.Watch([x, encoder]);
            return Collect(layer, tape, layer.Call(x, encoder), [x, encoder]);
        },
        ["transformer decoder with a cache"] = device =>
        {
            var layer = new TransformerDecoder(8, 2);
            var x = Floats([1, 3, 4], device);
            var cache = new AttentionCache();
            var first = layer.CallWithCache(x[.., ..2, ..], cache);
            var second = layer.CallWithCache(x[.., 2.., ..], cache);
            return [("first", first), ("second", second), ("cached keys", cache.Keys!), ("cached values", cache.Values!)];
        },
        ["token and position embedding"] = device => Run(device, new Layer[] { new TokenAndPositionEmbedding(6, 5, 4, maskZero: true), new TransformerDecoder(4, 2, normalizeFirst: true) }),
        ["gpt generation, cached and not"] = device =>
        {
            var gpt = Gpt.Create(5, 6, 1, 2, 8, seed: 2);
            gpt.To(device);
            var lm = new LanguageModel(gpt, new CharVocabulary("abcde"));
            var cached = lm.Generate([1, 2], 8, seed: 3);
            var uncached = lm.Generate([1, 2], 8, seed: 3, useCache: false);
            Assert.Equal(uncached, cached);
            return [("tokens", Tensor.FromArray(cached.Select(t => (float)t).ToArray(), [cached.Length], device))];
        },
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Layer_keeps_everything_on_the_input_device(string name)
    {
        var expected = Elsewhere.OnTheCpu(() => Cases[name](Device.Cpu));
        var actual = Elsewhere.Run(_device, () => Cases[name](_device));
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Elsewhere.On(_device, actual[i].Item2, $"{name}: {actual[i].Item1}");
            Elsewhere.Close(expected[i].Item2, actual[i].Item2, 1e-5, $"{name}: {actual[i].Item1} on {_device} vs cpu");
        }
    }

    private static Tensor Floats(int[] shape, Device device)
    {
        int size = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.FromArray(Enumerable.Range(0, size).Select(i => (float)Math.Sin(1.3 * i + 0.2)).ToArray(), shape, device);
    }

    // Ids with padding (0) at the end of the second row, through the layers in turn with the mask the first one makes.
    private static List<(string, Tensor)> Run(Device device, Layer[] layers)
    {
        var ids = Tensor.FromArray(new[] { 1, 5, 2, 3, 4, 0 }, [2, 3], device);
        using var tape = new GradientTape();
        Tensor x = ids, y = ids;
        Tensor? mask = null;
        foreach (var layer in layers)
        {
            y = layer.Call(x, mask: mask);
            mask = layer.ComputeMask(x, mask);
            x = y;
        }
        var variables = layers.SelectMany(l => l.TrainableVariables).ToArray();
        var gradients = tape.Gradient((y * y).Sum(), variables);
        var result = new List<(string, Tensor)> { ("output", y), ("mask", mask!.Cast(DType.Float32)) };
        result.AddRange(variables.Select((v, i) => ($"gradient of {v.Name}", gradients[i]!)));
        return result;
    }

    private static List<(string, Tensor)> Collect(Layer layer, GradientTape tape, Tensor y, Tensor[] inputs, params (string, Tensor)[] extra)
    {
        Tensor[] sources = [.. inputs, .. layer.TrainableVariables];
        var gradients = tape.Gradient((y * y).Sum(), sources);
        var result = new List<(string, Tensor)> { ("output", y) };
        result.AddRange(extra);
        result.AddRange(layer.Variables.Select(v => ($"variable {v.Name}", (Tensor)v)));
        result.AddRange(gradients.Select((g, i) => ($"gradient {i}", g!)));
        return result;
    }
}
