using Descent.Nn.Initializers;
using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

/// <summary>SimpleRNN, LSTM and GRU: gradients, Keras's layouts and initial values, masks, states, dropout, configs and errors.</summary>
[OnEveryDevice]
public class RecurrentTests
{
    private static readonly Dictionary<string, Func<Recurrent>> Layers = new()
    {
        ["simple rnn sequences"] = () => new SimpleRNN(4, returnSequences: true),
        ["simple rnn last, backwards"] = () => new SimpleRNN(3, goBackwards: true),
        ["lstm sequences"] = () => new LSTM(4, returnSequences: true),
        ["lstm last, backwards"] = () => new LSTM(3, goBackwards: true),
        ["lstm without bias, sigmoid output"] = () => new LSTM(3, activation: "sigmoid", useBias: false, returnSequences: true),
        ["gru sequences"] = () => new GRU(4, returnSequences: true),
        ["gru reset before the product"] = () => new GRU(3, resetAfter: false, returnSequences: true),
        ["gru last, backwards, no bias"] = () => new GRU(3, useBias: false, goBackwards: true),
    };

    public static TheoryData<string> LayerNames => [.. Layers.Keys];

    public static TheoryData<string> ForwardLayerNames => [.. Layers.Keys.Where(k => !Layers[k]().GoBackwards)];

    private static Tensor Mask(params int[][] rows) =>
        Tensor.NotEqual(Tensor.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length), Tensor.Scalar(0));

    private static int StateCount(Recurrent layer) => layer is LSTM ? 2 : 1;

    /// <summary>The layer built in float64 on [time, features] with weights from seed 11.</summary>
    private static T Built<T>(T layer, int time, int features) where T : Recurrent
    {
        layer.DType = DType.Float64;
        layer.Build([time, features], new Generator(11));
        return layer;
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Gradients_match_finite_differences(string name) =>
        AssertGradientsMatch(Layers[name](), Random(1, 2, 4, 3));

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Gradients_with_a_mask_and_initial_states_match_finite_differences(string name)
    {
        var layer = Layers[name]();
        var mask = Mask([1, 0, 1, 1], [0, 0, 1, 0]);
        var states = Enumerable.Range(0, StateCount(layer)).Select(k => Random(20 + k, 2, layer.Units)).ToArray();
        AssertGradientsMatch(layer, [Random(1, 2, 4, 3), .. states], args =>
        {
            var result = layer.CallWithState(args[0], args[1..], mask);
            // Every final state joins the objective, so the state outputs are checked too.
            return Tensor.Concat([result.Output.Reshape(2, -1), .. result.States], axis: 1);
        });
    }

    [Fact]
    public void Weights_have_keras_layouts_and_names()
    {
        var lstm = new LSTM(5, name: "lstm_a");
        lstm.Build([7, 3]);
        Assert.Equal([3, 20], lstm.Kernel!.Shape);
        Assert.Equal([5, 20], lstm.RecurrentKernel!.Shape);
        Assert.Equal([20], lstm.Bias!.Shape);
        Assert.Equal(["lstm_a/kernel", "lstm_a/recurrent_kernel", "lstm_a/bias"], lstm.Variables.Select(v => v.Name));

        var gru = new GRU(4);
        gru.Build([7, 3]);
        Assert.Equal([3, 12], gru.Kernel!.Shape);
        Assert.Equal([4, 12], gru.RecurrentKernel!.Shape);
        Assert.Equal([2, 12], gru.Bias!.Shape);

        var before = new GRU(4, resetAfter: false);
        before.Build([7, 3]);
        Assert.Equal([12], before.Bias!.Shape);

        var simple = new SimpleRNN(6, useBias: false);
        simple.Build([2, 3]);
        Assert.Equal([[3, 6], [6, 6]], simple.Variables.Select(v => v.Shape.ToArray()));
        Assert.Null(simple.Bias);
    }

    [Fact]
    public void Lstm_forget_gate_bias_starts_at_one_unless_unit_forget_bias_is_off()
    {
        var lstm = new LSTM(3, biasInitializer: new Constant(0.5));
        lstm.Build([2, 2]);
        Assert.Equal([0.5f, 0.5f, 0.5f, 1, 1, 1, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f], lstm.Bias!.ToArray<float>());

        var plain = new LSTM(3, unitForgetBias: false);
        plain.Build([2, 2]);
        Assert.All(plain.Bias!.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Recurrent_kernel_is_orthogonal_and_kernel_glorot_by_default()
    {
        var lstm = Built(new LSTM(6), 2, 5);
        // [units, 4·units] is wide, so its rows are orthonormal: R·Rᵀ = I.
        var gram = lstm.RecurrentKernel!.MatMul(lstm.RecurrentKernel, transposeB: true).ToArray<double>();
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++)
                Assert.Equal(i == j ? 1.0 : 0.0, gram[i * 6 + j], 10);
        double limit = Math.Sqrt(6.0 / (5 + 24));
        Assert.All(lstm.Kernel!.ToArray<double>(), v => Assert.InRange(v, -limit, limit));
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Output_shapes_follow_return_sequences(string name)
    {
        var layer = Layers[name]();
        var y = layer.Call(Random(3, 2, 5, 3).Cast(DType.Float32));
        int[] expected = layer.ReturnSequences ? [2, 5, layer.Units] : [2, layer.Units];
        Assert.Equal(expected, y.Shape);
        Assert.Equal(expected[1..], layer.ComputeOutputShape([5, 3]));
    }

    [Theory]
    [MemberData(nameof(ForwardLayerNames))]
    public void Running_in_two_parts_with_the_state_passed_on_equals_one_run(string name)
    {
        var layer = Built(Layers[name](), 6, 3);
        var x = Random(4, 2, 6, 3);
        var whole = layer.CallWithState(x);
        var first = layer.CallWithState(x.SliceAxis(1, 0, 4));
        var second = layer.CallWithState(x.SliceAxis(1, 4, 2), first.States);
        var joined = layer.ReturnSequences ? Tensor.Concat([first.Output, second.Output], axis: 1) : second.Output;
        AssertClose(whole.Output.ToArray<double>(), joined, 1e-12);
        for (int k = 0; k < whole.States.Count; k++) AssertClose(whole.States[k].ToArray<double>(), second.States[k], 1e-12);
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Padding_masked_on_either_side_leaves_the_result_of_the_unpadded_sequence(string name)
    {
        var layer = Built(Layers[name](), 3, 2);
        var data = Random(5, 1, 3, 2);
        var padding = Random(6, 1, 2, 2) * 50.0; // values that would change everything if they were read
        var unpadded = layer.CallWithState(data);
        foreach (bool left in new[] { true, false })
        {
            var x = Tensor.Concat(left ? [padding, data] : [data, padding], axis: 1);
            var mask = left ? Mask([0, 0, 1, 1, 1]) : Mask([1, 1, 1, 0, 0]);
            var masked = layer.CallWithState(x, mask: mask);
            for (int k = 0; k < unpadded.States.Count; k++) AssertClose(unpadded.States[k].ToArray<double>(), masked.States[k], 1e-12);
            if (layer.ReturnSequences) continue;
            AssertClose(unpadded.Output.ToArray<double>(), masked.Output, 1e-12);
        }
    }

    [Fact]
    public void A_masked_step_repeats_the_previous_output_or_zeros_with_zero_output_for_mask()
    {
        var x = Random(7, 1, 4, 2);
        var mask = Mask([0, 1, 0, 1]);
        var carried = Built(new GRU(3, returnSequences: true), 4, 2).Call(x, mask: mask).ToArray<double>();
        var zeroed = Built(new GRU(3, returnSequences: true, zeroOutputForMask: true), 4, 2).Call(x, mask: mask).ToArray<double>();
        double[] Step(double[] y, int t) => y[(t * 3)..(t * 3 + 3)];
        Assert.Equal(new double[3], Step(carried, 0)); // nothing before the first step: zeros, as Keras
        Assert.Equal(Step(carried, 1), Step(carried, 2));
        Assert.NotEqual(Step(carried, 1), Step(carried, 3));
        Assert.Equal(new double[3], Step(zeroed, 0));
        Assert.Equal(new double[3], Step(zeroed, 2));
        Assert.Equal(Step(carried, 1), Step(zeroed, 1));
        Assert.Equal(Step(carried, 3), Step(zeroed, 3));
    }

    [Fact]
    public void Mask_as_numbers_is_read_as_nonzero_true()
    {
        var layer = Built(new LSTM(2), 3, 2);
        var x = Random(8, 2, 3, 2);
        var asBool = layer.Call(x, mask: Mask([1, 0, 1], [1, 1, 0]));
        var asFloat = layer.Call(x, mask: Tensor.FromArray(new[] { 2.0, 0, -1, 1, 1, 0 }, 2, 3));
        Assert.Equal(asBool.ToArray<double>(), asFloat.ToArray<double>());
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Going_backwards_is_going_forwards_over_the_reversed_sequence(string name)
    {
        var layer = Built(Layers[name](), 4, 3);
        var config = new Dictionary<string, object?>(layer.GetConfig()) { ["go_backwards"] = !layer.GoBackwards, ["name"] = null };
        var other = (Recurrent)LayerFactory.FromConfig(layer.GetType().Name,
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(System.Text.Json.JsonSerializer.Serialize(config))!);
        other.DType = DType.Float64;
        other.Build([4, 3]);
        for (int i = 0; i < layer.Variables.Count; i++) other.Variables[i].Assign(layer.Variables[i]);
        var x = Random(9, 2, 4, 3);
        var reversed = x.Gather(Tensor.FromArray(new[] { 3, 2, 1, 0 }), axis: 1);
        // Both return their outputs in the order they computed them.
        AssertClose(layer.Call(x).ToArray<double>(), other.Call(reversed), 1e-12);
    }

    [Fact]
    public void Dropout_is_off_at_inference_and_one_mask_serves_every_step_in_training()
    {
        // Identity kernel, no recurrence, linear output: each step's output is its input times the dropout mask.
        var rnn = new SimpleRNN(4, activation: null, useBias: false, kernelInitializer: new IdentityKernel(), recurrentInitializer: new Zeros(),
            dropout: 0.5, seed: 3, returnSequences: true) { DType = DType.Float64 };
        var x = Tensor.Ones([8, 5, 4], DType.Float64);
        Assert.All(rnn.Call(x).ToArray<double>(), v => Assert.Equal(1.0, v));

        var y = rnn.Call(x, training: true).ToArray<double>();
        Assert.All(y, v => Assert.True(v == 0 || v == 2, $"{v} is neither dropped nor scaled by 1 / (1 - 0.5)"));
        double[] Step(int b, int t)
        {
            int start = (b * 5 + t) * 4;
            return y[start..(start + 4)];
        }
        for (int b = 0; b < 8; b++)
            for (int t = 1; t < 5; t++)
                Assert.Equal(Step(b, 0), Step(b, t));
        int dropped = y.Count(v => v == 0) / 5;
        Assert.InRange(dropped, 6, 26); // of 32 features, about half
        Assert.NotEqual(y, rnn.Call(x, training: true).ToArray<double>()); // a new mask each call

        // The gradient flows through the kept inputs only, scaled as they are: dy/dx is the mask itself.
        using var tape = new GradientTape();
        tape.Watch(x);
        var masked = rnn.Call(x, training: true);
        Assert.Equal(masked.ToArray<double>(), tape.Gradient(masked.Sum(), x)!.ToArray<double>());
    }

    [Fact]
    public void Recurrent_dropout_changes_training_outputs_only_and_a_seed_repeats_them()
    {
        Recurrent Make() => Built(new GRU(4, recurrentDropout: 0.5, seed: 9, returnSequences: true), 5, 3);
        var x = Random(10, 3, 5, 3);
        var (a, b) = (Make(), Make());
        Assert.Equal(a.Call(x).ToArray<double>(), b.Call(x).ToArray<double>());
        var trained = a.Call(x, training: true).ToArray<double>();
        Assert.Equal(trained, b.Call(x, training: true).ToArray<double>());
        Assert.NotEqual(a.Call(x).ToArray<double>(), trained);
    }

    [Fact]
    public void Compute_mask_passes_the_mask_on_only_with_sequences()
    {
        var mask = Mask([1, 0]);
        var x = Tensor.Zeros([1, 2, 3]);
        Assert.Same(mask, new LSTM(2, returnSequences: true).ComputeMask(x, mask));
        Assert.Null(new LSTM(2).ComputeMask(x, mask));
        Assert.True(new GRU(2).SupportsMasking);
    }

    public static TheoryData<string> ConfigNames => ["lstm", "gru", "simple rnn"];

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void Config_round_trips_and_the_copy_computes_the_same(string kind)
    {
        Recurrent layer = kind switch
        {
            "lstm" => new LSTM(3, activation: "relu", recurrentActivation: "tanh", unitForgetBias: false, dropout: 0.25, recurrentDropout: 0.125,
                seed: 4, returnSequences: true, returnState: true, goBackwards: true, zeroOutputForMask: true, recurrentInitializer: new Orthogonal(0.5)),
            "gru" => new GRU(3, activation: "sigmoid", recurrentActivation: "tanh", resetAfter: false, kernelInitializer: new HeNormal(), returnSequences: true),
            _ => new SimpleRNN(3, activation: "relu", useBias: false, goBackwards: true, seed: 2),
        };
        var copy = (Recurrent)RoundTrip(layer);
        Assert.IsType(layer.GetType(), copy);
        Assert.Equal(ConfigJson(layer), ConfigJson(copy));

        var x = Random(11, 2, 4, 3);
        layer = Built(layer, 4, 3);
        copy = Built(copy, 4, 3);
        Assert.Equal(layer.CallWithState(x).Output.ToArray<double>(), copy.CallWithState(x).Output.ToArray<double>());
    }

    [Fact]
    public void Config_uses_keras_keys()
    {
        var config = new LSTM(8, returnSequences: true).GetConfig();
        Assert.Equal(8, config["units"]);
        Assert.Equal("tanh", config["activation"]);
        Assert.Equal("sigmoid", config["recurrent_activation"]);
        Assert.Equal("Orthogonal", Assert.IsType<Dictionary<string, object?>>(config["recurrent_initializer"])["class_name"]);
        Assert.Equal(true, config["unit_forget_bias"]);
        Assert.Equal(true, config["return_sequences"]);
        Assert.Equal(false, config["stateful"]);
        Assert.Equal(true, new GRU(2).GetConfig()["reset_after"]);
    }

    [Fact]
    public void A_stateful_keras_config_is_refused()
    {
        var config = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>("""{"units": 4, "stateful": true}""")!;
        var e = Assert.Throws<ArgumentException>(() => LayerFactory.FromConfig("LSTM", config));
        Assert.Contains("stateful", e.Message);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_layer_name()
    {
        Assert.Contains("units must be positive", Assert.Throws<ArgumentException>(() => new LSTM(0)).Message);
        Assert.Contains("dropout", Assert.Throws<ArgumentException>(() => new GRU(2, dropout: 1)).Message);
        Assert.Contains("dropout", Assert.Throws<ArgumentException>(() => new SimpleRNN(2, recurrentDropout: -0.1)).Message);
        Assert.Contains("unknown activation 'tanhh'", Assert.Throws<ArgumentException>(() => new LSTM(2, recurrentActivation: "tanhh")).Message);
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_the_layer_name_and_shapes()
    {
        var lstm = new LSTM(3, name: "lstm_bad");
        var e = Assert.Throws<ArgumentException>(() => lstm.Call(Tensor.Zeros([2, 5])));
        Assert.Contains("LSTM 'lstm_bad': expects input [batch, steps, features]", e.Message);
        Assert.False(lstm.Built);

        lstm.Build([4, 2]);
        Assert.Contains("was built for 2 features", Assert.Throws<ArgumentException>(() => lstm.Call(Tensor.Zeros([1, 4, 3]))).Message);
        Assert.Contains("at least one time step", Assert.Throws<ArgumentException>(() => lstm.Call(Tensor.Zeros([1, 0, 2]))).Message);
        Assert.Contains("int32 input", Assert.Throws<ArgumentException>(() => lstm.Call(Tensor.Zeros([1, 4, 2], DType.Int32))).Message);

        var x = Tensor.Zeros([2, 4, 2]);
        Assert.Contains("takes 2 initial state tensors, got 1",
            Assert.Throws<ArgumentException>(() => lstm.CallWithState(x, [Tensor.Zeros([2, 3])])).Message);
        Assert.Contains("[batch, units] = [2,3], got [2,4]",
            Assert.Throws<ArgumentException>(() => lstm.CallWithState(x, [Tensor.Zeros([2, 3]), Tensor.Zeros([2, 4])])).Message);
        Assert.Contains("the mask must be [batch, time] = [2,4]",
            Assert.Throws<ArgumentException>(() => lstm.Call(x, mask: Tensor.Ones([2, 3]))).Message);
    }

    [Fact]
    public void Return_state_needs_call_with_state()
    {
        var gru = new GRU(2, returnState: true, name: "gru_s");
        var x = Tensor.Zeros([1, 3, 2]);
        var e = Assert.Throws<InvalidOperationException>(() => gru.Call(x));
        Assert.Contains("GRU 'gru_s': return_state is set", e.Message);
        Assert.Contains("CallWithState", e.Message);
        var result = gru.CallWithState(x);
        Assert.Equal([1, 2], result.Output.Shape);
        Assert.Equal([1, 2], Assert.Single(result.States).Shape);
    }

    // [n, n] identity, so a SimpleRNN's projection passes its input through.
    private sealed class IdentityKernel : Initializer
    {
        public override Tensor Create(int[] shape, DType dtype, Generator generator) => Tensor.Eye(shape[0], shape[1], dtype);
    }
}
