using System.Text.Json;
using Descent.Nn.Layers;

namespace Descent.Nn.Tests.Layers;

/// <summary>
/// SimpleRNN, LSTM, GRU, Bidirectional, Conv1D and MaxPooling1D against Fixtures/sequence_layers.py: PyTorch's
/// values and gradients (of Σ y·dy + Σ state·ds) for fixed weights given in Keras's layouts, in float64.
/// </summary>
[OnEveryDevice]
public class SequenceReferenceTests
{
    private const double Tolerance = 1e-10;
    private static readonly JsonElement Fixture = FixtureFile.Load("sequence_layers.json");

    public static TheoryData<string> Names(string group) => [.. Fixture.GetProperty(group).EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    public static TheoryData<string> RecurrentCases => Names("recurrent");
    public static TheoryData<string> BidirectionalCases => Names("bidirectional");
    public static TheoryData<string> Conv1DCases => Names("conv1d");
    public static TheoryData<string> MaxPooling1DCases => Names("max_pooling1d");

    private static JsonElement Case(string group, string name) =>
        Fixture.GetProperty(group).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static int[] Shape(JsonElement c, string key) => c.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static Tensor Values(JsonElement e, params int[] shape) => Tensor.FromArray(e.Doubles(), shape);

    private static bool Flag(JsonElement c, string key) => c.TryGetProperty(key, out var v) && v.GetBoolean();

    private static void Close(JsonElement expected, Tensor? actual, string what) =>
        FixtureFile.AssertClose(expected.Doubles(), actual!.ToArray<double>(), Tolerance, what);

    private static Recurrent Make(JsonElement c, bool returnSequences, bool goBackwards = false, bool zeroOutput = false)
    {
        int units = c.GetProperty("units").GetInt32();
        bool useBias = !c.TryGetProperty("use_bias", out var b) || b.GetBoolean();
        string activation = c.TryGetProperty("activation", out var a) ? a.GetString()! : "tanh";
        Recurrent layer = c.GetProperty("layer").GetString() switch
        {
            "SimpleRNN" => new SimpleRNN(units, activation, useBias, returnSequences: returnSequences, goBackwards: goBackwards, zeroOutputForMask: zeroOutput),
            "LSTM" => new LSTM(units, useBias: useBias, returnSequences: returnSequences, goBackwards: goBackwards, zeroOutputForMask: zeroOutput),
            _ => new GRU(units, useBias: useBias, returnSequences: returnSequences, goBackwards: goBackwards,
                resetAfter: !c.TryGetProperty("reset_after", out var r) || r.GetBoolean(), zeroOutputForMask: zeroOutput),
        };
        layer.DType = DType.Float64;
        return layer;
    }

    // Loads the kernels and bias given in Keras's layouts: the layouts must match for the shapes to fit.
    private static void SetWeights(Recurrent layer, JsonElement weights)
    {
        layer.Kernel!.Assign(Values(weights.GetProperty("kernel"), [.. layer.Kernel.Shape]));
        layer.RecurrentKernel!.Assign(Values(weights.GetProperty("recurrent_kernel"), [.. layer.RecurrentKernel.Shape]));
        if (layer.Bias is { } bias) bias.Assign(Values(weights.GetProperty("bias"), [.. bias.Shape]));
    }

    private static Tensor? Mask(JsonElement c, int[] xShape, bool asBool)
    {
        if (!c.TryGetProperty("mask", out var m)) return null;
        var ints = Tensor.FromArray(m.EnumerateArray().Select(e => e.GetInt32()).ToArray(), xShape[0], xShape[1]);
        return asBool ? Tensor.NotEqual(ints, Tensor.Scalar(0, DType.Int32, ints.Device)) : ints;
    }

    // Σ y·dy + Σ_k state_k·ds_k, the objective the fixture's gradients belong to.
    private static Tensor Objective(JsonElement c, Tensor y, IReadOnlyList<Tensor> states)
    {
        var loss = (y * Values(c.GetProperty("dy"), [.. y.Shape])).Sum();
        var ds = c.GetProperty("ds").EnumerateArray().ToArray();
        Assert.Equal(ds.Length, states.Count);
        for (int k = 0; k < states.Count; k++) loss += (states[k] * Values(ds[k], [.. states[k].Shape])).Sum();
        return loss;
    }

    [Theory]
    [MemberData(nameof(RecurrentCases))]
    public void Recurrent_layer_matches_pytorch(string name)
    {
        var c = Case("recurrent", name);
        var xShape = Shape(c, "x_shape");
        var layer = Make(c, Flag(c, "return_sequences"), Flag(c, "go_backwards"), Flag(c, "zero_output_for_mask"));
        layer.Build(xShape[1..]);
        SetWeights(layer, c);
        var x = Values(c.GetProperty("x"), xShape);
        var initial = c.TryGetProperty("initial_state", out var s)
            ? s.EnumerateArray().Select(e => Values(e, xShape[0], layer.Units)).ToArray()
            : null;

        using var tape = new GradientTape();
        tape.Watch(x);
        if (initial is not null) tape.Watch(initial);
        var result = layer.CallWithState(x, initial, Mask(c, xShape, asBool: false));
        var sources = new List<Tensor> { x, layer.Kernel!, layer.RecurrentKernel! };
        if (layer.Bias is not null) sources.Add(layer.Bias);
        sources.AddRange(initial ?? []);
        var grads = tape.Gradient(Objective(c, result.Output, result.States), sources);

        Assert.Equal(Shape(c, "y_shape"), result.Output.Shape);
        Close(c.GetProperty("y"), result.Output, "y");
        var states = c.GetProperty("states").EnumerateArray().ToArray();
        for (int k = 0; k < states.Length; k++) Close(states[k], result.States[k], $"state {k}");
        Close(c.GetProperty("dx"), grads[0], "dx");
        Close(c.GetProperty("dkernel"), grads[1], "dkernel");
        Close(c.GetProperty("drecurrent_kernel"), grads[2], "drecurrent_kernel");
        int next = 3;
        if (layer.Bias is not null) Close(c.GetProperty("dbias"), grads[next++], "dbias");
        if (initial is not null)
        {
            var expected = c.GetProperty("dinitial_state").EnumerateArray().ToArray();
            for (int k = 0; k < expected.Length; k++) Close(expected[k], grads[next + k], $"dinitial_state {k}");
        }
    }

    [Theory]
    [MemberData(nameof(BidirectionalCases))]
    public void Bidirectional_matches_pytorch(string name)
    {
        var c = Case("bidirectional", name);
        var xShape = Shape(c, "x_shape");
        var layer = new Bidirectional(Make(c, Flag(c, "return_sequences")), c.GetProperty("merge_mode").GetString()) { DType = DType.Float64 };
        layer.Build(xShape[1..]);
        SetWeights(layer.ForwardLayer, c.GetProperty("forward"));
        SetWeights(layer.BackwardLayer, c.GetProperty("backward"));
        var x = Values(c.GetProperty("x"), xShape);

        using var tape = new GradientTape();
        tape.Watch(x);
        var result = layer.CallWithState(x, mask: Mask(c, xShape, asBool: true));
        Recurrent[] directions = [layer.ForwardLayer, layer.BackwardLayer];
        var grads = tape.Gradient(Objective(c, result.Output!, result.States),
            [x, .. directions.SelectMany(d => new Tensor[] { d.Kernel!, d.RecurrentKernel!, d.Bias! })]);

        Assert.Equal(Shape(c, "y_shape"), result.Output!.Shape);
        Close(c.GetProperty("y"), result.Output, "y");
        var states = c.GetProperty("states").EnumerateArray().ToArray();
        for (int k = 0; k < states.Length; k++) Close(states[k], result.States[k], $"state {k}");
        Close(c.GetProperty("dx"), grads[0], "dx");
        string[] weights = ["kernel", "recurrent_kernel", "bias"];
        for (int d = 0; d < 2; d++)
            for (int w = 0; w < 3; w++)
                Close(c.GetProperty(d == 0 ? "dforward" : "dbackward").GetProperty(weights[w]), grads[1 + 3 * d + w], $"{(d == 0 ? "forward" : "backward")} {weights[w]}");
    }

    [Theory]
    [MemberData(nameof(Conv1DCases))]
    public void Conv1D_matches_pytorch(string name)
    {
        var c = Case("conv1d", name);
        var xShape = Shape(c, "x_shape");
        var conv = new Conv1D(c.GetProperty("filters").GetInt32(), c.GetProperty("kernel_size").GetInt32(), c.GetProperty("strides").GetInt32(),
            c.GetProperty("padding").GetString()!, c.GetProperty("dilation").GetInt32()) { DType = DType.Float64 };
        conv.Build(xShape[1..]);
        conv.Kernel!.Assign(Values(c.GetProperty("kernel"), [.. conv.Kernel.Shape]));
        conv.Bias!.Assign(Values(c.GetProperty("bias"), [.. conv.Bias.Shape]));
        var x = Values(c.GetProperty("x"), xShape);

        using var tape = new GradientTape();
        tape.Watch(x);
        var y = conv.Call(x);
        var grads = tape.Gradient((y * Values(c.GetProperty("dy"), [.. y.Shape])).Sum(), [x, conv.Kernel, conv.Bias]);

        Assert.Equal(Shape(c, "y_shape"), y.Shape);
        Assert.Equal(Shape(c, "y_shape")[1..], conv.ComputeOutputShape(xShape[1..]));
        Close(c.GetProperty("y"), y, "y");
        Close(c.GetProperty("dx"), grads[0], "dx");
        Close(c.GetProperty("dkernel"), grads[1], "dkernel");
        Close(c.GetProperty("dbias"), grads[2], "dbias");
    }

    [Theory]
    [MemberData(nameof(MaxPooling1DCases))]
    public void MaxPooling1D_matches_pytorch(string name)
    {
        var c = Case("max_pooling1d", name);
        var xShape = Shape(c, "x_shape");
        var pool = new MaxPooling1D(c.GetProperty("pool").GetInt32(), c.GetProperty("strides").GetInt32(), c.GetProperty("padding").GetString()!);
        var x = Values(c.GetProperty("x"), xShape);

        using var tape = new GradientTape();
        tape.Watch(x);
        var y = pool.Call(x);
        var dx = tape.Gradient((y * Values(c.GetProperty("dy"), [.. y.Shape])).Sum(), x);

        Assert.Equal(Shape(c, "y_shape"), y.Shape);
        Assert.Equal(Shape(c, "y_shape")[1..], pool.ComputeOutputShape(xShape[1..]));
        Close(c.GetProperty("y"), y, "y");
        Close(c.GetProperty("dx"), dx, "dx");
    }
}
