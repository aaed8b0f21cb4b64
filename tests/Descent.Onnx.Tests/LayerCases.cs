using Descent.Nn.Layers;
using Descent.Nn.Models;

namespace Descent.Onnx.Tests;

/// <summary>
/// One small Sequential per layer configuration worth exporting: each layer kind, each activation Descent knows (read
/// from <see cref="Activations.Names"/>, so a new activation becomes a case by itself), and the options that change
/// the ONNX form (padding, strides, dilation, bias, axes, keepdims, ids, directions, sequences, masks).
/// </summary>
internal static partial class LayerCases
{
    private sealed record Case(Func<Layer[]> Layers, int[] InputShape, InputKind Input = InputKind.Values, double PadValue = 0);

    /// <summary>
    /// What the model is fed: random values, integer ids as int64, integer ids as floats, or random sequences with
    /// whole steps of the case's pad value (for Masking) at the end, in between and at the start.
    /// </summary>
    private enum InputKind { Values, Ids, FloatIds, Padded }

    private const int Vocabulary = 10;

    private static readonly Dictionary<string, Case> Cases = Build();

    public static IEnumerable<string> Names => Cases.Keys;

    private static Dictionary<string, Case> Build()
    {
        var cases = new Dictionary<string, Case>
        {
            ["dense"] = new(() => [new Dense(4)], [5]),
            ["dense no bias"] = new(() => [new Dense(4, useBias: false)], [5]),
            ["dense on rank 3"] = new(() => [new Dense(3, "relu")], [2, 5]),
            ["dense on rank 4 no bias"] = new(() => [new Dense(2, useBias: false)], [2, 3, 4]),
            ["softmax on rank 3"] = new(() => [new Activation("softmax")], [3, 4]),
            ["dropout"] = new(() => [new Dense(4), new Dropout(0.5, seed: 1)], [5]),
            ["dropout alone"] = new(() => [new Dropout(0.3)], [5]),
            ["flatten"] = new(() => [new Flatten()], [3, 2, 2]),
            ["flatten of a flat input"] = new(() => [new Flatten()], [4]),
            ["reshape"] = new(() => [new Reshape([-1, 2])], [3, 4]),
            ["conv2d valid"] = new(() => [new Conv2D(3, 3)], [6, 5, 2]),
            ["conv2d same stride 2 relu"] = new(() => [new Conv2D(4, (3, 2), (2, 2), "same", activation: "relu")], [7, 6, 3]),
            ["conv2d same dilated"] = new(() => [new Conv2D(2, 3, padding: "same", dilationRate: 2)], [8, 7, 1]),
            ["conv2d valid strides 1x2 dilation 2x1"] = new(() => [new Conv2D(2, (2, 3), (1, 2), "valid", (2, 1))], [6, 9, 2]),
            ["conv2d no bias softmax"] = new(() => [new Conv2D(3, 2, useBias: false, activation: "softmax")], [5, 5, 2]),
            ["conv2d gelu"] = new(() => [new Conv2D(2, 1, activation: "gelu")], [3, 3, 2]),
            ["max pooling valid"] = new(() => [new MaxPooling2D(2)], [6, 6, 3]),
            ["max pooling valid odd size"] = new(() => [new MaxPooling2D(2)], [5, 7, 2]),
            ["max pooling same stride 1"] = new(() => [new MaxPooling2D((3, 3), (1, 1), "same")], [5, 4, 2]),
            ["max pooling same odd size"] = new(() => [new MaxPooling2D(2, padding: "same")], [5, 5, 2]),
            ["average pooling valid 2x3 strides 1x2"] = new(() => [new AveragePooling2D((2, 3), (1, 2))], [5, 7, 2]),
            ["average pooling same"] = new(() => [new AveragePooling2D(3, 2, "same")], [5, 6, 2]),
            ["global average pooling"] = new(() => [new GlobalAveragePooling2D()], [4, 3, 5]),
            ["global average pooling keepdims"] = new(() => [new GlobalAveragePooling2D(keepDims: true)], [4, 3, 5]),
            ["batch normalization"] = new(() => [new BatchNormalization()], [6]),
            ["batch normalization of images"] = new(() => [new BatchNormalization()], [4, 3, 3]),
            ["batch normalization axis 1 of rank 3"] = new(() => [new BatchNormalization(axis: 1)], [3, 5]),
            ["batch normalization axis 2 of rank 4"] = new(() => [new BatchNormalization(axis: 2, epsilon: 0.01)], [2, 3, 4]),
            ["batch normalization without center and scale"] = new(() => [new BatchNormalization(center: false, scale: false)], [4]),
            ["layer normalization"] = new(() => [new LayerNormalization()], [6]),
            ["layer normalization of rank 3"] = new(() => [new LayerNormalization(epsilon: 1e-5)], [3, 5]),
            ["layer normalization axis 1 of rank 4"] = new(() => [new LayerNormalization(axis: 1)], [4, 3, 2]),
            ["layer normalization without center and scale"] = new(() => [new LayerNormalization(center: false, scale: false)], [5]),
            ["layer normalization without center"] = new(() => [new LayerNormalization(center: false)], [5]),
            ["embedding"] = new(() => [new Embedding(Vocabulary, 4)], [6], InputKind.Ids),
            ["embedding of a grid then dense"] = new(() => [new Embedding(Vocabulary, 3), new Flatten(), new Dense(2)], [2, 3], InputKind.Ids),
            ["reshape then embedding of float ids"] = new(() => [new Reshape([2, 3]), new Embedding(Vocabulary, 4)], [6], InputKind.FloatIds),
        };
        foreach (string activation in Activations.Names)
        {
            cases[$"dense {activation}"] = new(() => [new Dense(4, activation)], [5]);
            cases[$"activation {activation}"] = new(() => [new Activation(activation)], [7]);
        }
        AddSequenceCases(cases);
        AddAttentionCases(cases);
        return cases;
    }

    /// <summary>The case's model, built on the default device, with every weight drawn at random so that biases, scales and moving statistics matter.</summary>
    public static Sequential Model(string name, DType dtype = DType.Float32)
    {
        var c = Cases[name];
        var layers = c.Layers();
        foreach (var layer in layers) layer.DType = dtype;
        var model = new Sequential(layers, c.InputShape, seed: 7);
        Randomize(model, seed: name.Length);
        return model;
    }

    /// <summary>A batch of <paramref name="batch"/> inputs for the case, on the default device.</summary>
    public static Tensor Input(string name, int batch, DType dtype = DType.Float32)
    {
        var c = Cases[name];
        var random = new Random(batch * 31 + name.Length);
        int[] shape = [batch, .. c.InputShape];
        int size = shape.Aggregate(1, (a, b) => a * b);
        if (c.Input == InputKind.Ids)
            return Tensor.FromArray(Enumerable.Range(0, size).Select(_ => (long)random.Next(Vocabulary)).ToArray(), shape);
        var values = Enumerable.Range(0, size)
            .Select(_ => c.Input == InputKind.FloatIds ? random.Next(Vocabulary) : random.NextDouble() * 4 - 2).ToArray();
        if (c.Input == InputKind.Padded) Pad(values, shape, c.PadValue);
        return dtype == DType.Float64 ? Tensor.FromArray(values, shape) : Tensor.FromArray(values.Select(v => (float)v).ToArray(), shape);
    }

    /// <summary>Every variable uniform in [−1, 1] (moving variances in [0.5, 1.5]), on the variable's device.</summary>
    public static void Randomize(Model model, int seed)
    {
        var random = new Random(seed);
        foreach (var v in model.Variables)
        {
            bool variance = v.Name.EndsWith("moving_variance", StringComparison.Ordinal);
            var values = Enumerable.Range(0, v.Size).Select(_ => variance ? 0.5 + random.NextDouble() : random.NextDouble() * 2 - 1).ToArray();
            v.Assign(Tensor.FromArray(values, v.Shape.ToArray(), v.Device));
        }
    }
}
