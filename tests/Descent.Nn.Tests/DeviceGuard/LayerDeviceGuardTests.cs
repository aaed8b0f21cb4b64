using Descent.Nn.Layers;

namespace Descent.Nn.Tests.DeviceGuard;

/// <summary>
/// Leak guard: every layer, built by its first call on data that lives on the device under test while another
/// device is the default, keeps its weights, outputs and gradients on the data's device, with the CPU's values.
/// </summary>
[OnEveryDevice]
public class LayerDeviceGuardTests
{
    private readonly Device _device = Device.Default;

    private static readonly Dictionary<string, (Func<Layer> Make, int[] Shape, bool Training)> Layers = new()
    {
        ["dense"] = (() => new Dense(3, "relu"), [5, 4], false),
        ["dense without bias"] = (() => new Dense(2, "sigmoid", useBias: false), [3, 4], false),
        ["conv2d valid"] = (() => new Conv2D(2, 3, activation: "tanh"), [2, 6, 5, 3], false),
        ["conv2d same strided dilated"] = (() => new Conv2D(2, (3, 2), strides: (2, 1), padding: "same", dilationRate: (1, 2)), [2, 6, 7, 2], false),
        ["max pooling"] = (() => new MaxPooling2D(2), [2, 6, 6, 3], false),
        ["max pooling same"] = (() => new MaxPooling2D(3, strides: 2, padding: "same"), [2, 5, 5, 2], false),
        ["average pooling"] = (() => new AveragePooling2D(2), [2, 6, 6, 3], false),
        ["average pooling same"] = (() => new AveragePooling2D(3, strides: 2, padding: "same"), [2, 5, 5, 2], false),
        ["global average pooling"] = (() => new GlobalAveragePooling2D(), [2, 4, 3, 5], false),
        ["flatten"] = (() => new Flatten(), [2, 3, 4], false),
        ["reshape"] = (() => new Reshape([3, 4]), [2, 12], false),
        ["dropout training"] = (() => new Dropout(0.4, seed: 5), [8, 8], true),
        ["batch normalization training"] = (() => new BatchNormalization(), [6, 4], true),
        ["batch normalization inference"] = (() => new BatchNormalization(), [6, 4], false),
        ["layer normalization"] = (() => new LayerNormalization(), [3, 5], false),
        ["activation"] = (() => new Activation("gelu"), [4, 4], false),
        ["conv1d causal"] = (() => new Conv1D(2, 3, padding: "causal", dilationRate: 2, activation: "tanh"), [2, 6, 3], false),
        ["conv1d same strided"] = (() => new Conv1D(3, 2, strides: 2, padding: "same"), [2, 7, 2], false),
        ["max pooling 1d same"] = (() => new MaxPooling1D(2, padding: "same"), [2, 5, 3], false),
        ["global average pooling 1d"] = (() => new GlobalAveragePooling1D(), [2, 5, 3], false),
        ["global max pooling 1d"] = (() => new GlobalMaxPooling1D(), [2, 5, 3], false),
        ["masking"] = (() => new Masking(), [2, 4, 3], false),
        ["simple rnn sequences"] = (() => new SimpleRNN(3, returnSequences: true), [2, 4, 3], false),
        ["lstm backwards"] = (() => new LSTM(3, goBackwards: true), [2, 4, 3], false),
        ["lstm dropout training"] = (() => new LSTM(3, dropout: 0.3, recurrentDropout: 0.2, seed: 1, returnSequences: true), [2, 4, 3], true),
        ["gru"] = (() => new GRU(3), [2, 4, 3], false),
        ["gru reset before"] = (() => new GRU(3, resetAfter: false, returnSequences: true), [2, 4, 3], false),
        ["bidirectional lstm"] = (() => new Bidirectional(new LSTM(2, returnSequences: true)), [2, 4, 3], false),
    };

    public static TheoryData<string> LayerNames => [.. Layers.Keys];

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Layer_keeps_weights_outputs_and_gradients_on_the_input_device(string name)
    {
        var expected = Elsewhere.OnTheCpu(() => Run(name, Device.Cpu));
        var actual = Elsewhere.Run(_device, () => Run(name, _device));
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Elsewhere.On(_device, actual[i].Tensor, $"{name}: {actual[i].What}");
            Elsewhere.Close(expected[i].Tensor, actual[i].Tensor, 1e-5, $"{name}: {actual[i].What} on {_device} vs cpu");
        }
    }

    [Fact]
    public void Embedding_looks_up_integer_ids_on_their_device()
    {
        List<(string, Tensor)> Run(Device device)
        {
            var layer = new Embedding(7, 3);
            var ids = Tensor.FromArray(new[] { 0, 6, 2, 2, 5, 1 }, [2, 3], device);
            using var tape = new GradientTape();
            var y = layer.Call(ids);
            var g = tape.Gradient((y * y).Sum(), layer.TrainableVariables.Cast<Tensor>().ToArray())!;
            return [("output", y), ("table", layer.Variables[0]), ("table gradient", g[0]!)];
        }
        var expected = Elsewhere.OnTheCpu(() => Run(Device.Cpu));
        var actual = Elsewhere.Run(_device, () => Run(_device));
        for (int i = 0; i < expected.Count; i++)
        {
            Elsewhere.On(_device, actual[i].Item2, actual[i].Item1);
            Elsewhere.Close(expected[i].Item2, actual[i].Item2, 1e-6, actual[i].Item1);
        }
    }

    [Fact]
    public void Masked_recurrent_layers_keep_everything_on_the_input_device()
    {
        List<(string, Tensor)> Run(Device device)
        {
            var gru = new GRU(3, returnSequences: true);
            var bi = new Bidirectional(new LSTM(2), "sum");
            var x = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (float)Math.Cos(0.7 * i)).ToArray(), [2, 4, 3], device);
            var mask = Tensor.FromArray(new[] { true, true, false, true, false, true, true, false }, [2, 4], device);
            using var tape = new GradientTape();
            tape.Watch(x);
            var y = bi.Call(gru.Call(x, mask: mask), mask: mask);
            var g = tape.Gradient((y * y).Sum(), [x, .. gru.TrainableVariables, .. bi.TrainableVariables])!;
            return [("output", y), .. g.Select((t, i) => ($"gradient {i}", t!))];
        }
        var expected = Elsewhere.OnTheCpu(() => Run(Device.Cpu));
        var actual = Elsewhere.Run(_device, () => Run(_device));
        for (int i = 0; i < expected.Count; i++)
        {
            Elsewhere.On(_device, actual[i].Item2, actual[i].Item1);
            Elsewhere.Close(expected[i].Item2, actual[i].Item2, 1e-5, actual[i].Item1);
        }
    }

    private static List<(string What, Tensor Tensor)> Run(string name, Device device)
    {
        var (make, shape, training) = Layers[name];
        var layer = make();
        int size = shape.Aggregate(1, (a, b) => a * b);
        var x = Tensor.FromArray(Enumerable.Range(0, size).Select(i => (float)Math.Sin(1.3 * i + 0.2)).ToArray(), shape, device);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = layer.Call(x, training);
        Tensor[] sources = [x, .. layer.TrainableVariables];
        var gradients = tape.Gradient((y * y).Sum(), sources)!;
        var result = new List<(string, Tensor)> { ("output", y) };
        result.AddRange(layer.Variables.Select(v => ($"variable {v.Name}", (Tensor)v)));
        result.Add(("input gradient", gradients[0]!));
        result.AddRange(gradients.Skip(1).Select((g, i) => ($"gradient of {layer.TrainableVariables[i].Name}", g!)));
        return result;
    }
}
