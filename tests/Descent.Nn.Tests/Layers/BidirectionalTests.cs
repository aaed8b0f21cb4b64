using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

/// <summary>The Bidirectional wrapper: its copies, merge modes, states, masks, gradients, config and errors.</summary>
[OnEveryDevice]
public class BidirectionalTests
{
    private static Bidirectional Built(Bidirectional layer, int time = 4, int features = 3)
    {
        layer.DType = DType.Float64;
        layer.Build([time, features], new Generator(5));
        return layer;
    }

    [Fact]
    public void Copies_are_named_after_the_layer_and_run_in_opposite_directions()
    {
        var bi = new Bidirectional(new LSTM(3, returnSequences: true, name: "enc"));
        bi.Build([4, 2]);
        Assert.Equal("forward_enc", bi.ForwardLayer.Name);
        Assert.Equal("backward_enc", bi.BackwardLayer.Name);
        Assert.False(bi.ForwardLayer.GoBackwards);
        Assert.True(bi.BackwardLayer.GoBackwards);
        Assert.True(bi.ForwardLayer.ZeroOutputForMask); // Keras sets it when returning sequences
        Assert.Equal(["forward_enc/kernel", "forward_enc/recurrent_kernel", "forward_enc/bias",
            "backward_enc/kernel", "backward_enc/recurrent_kernel", "backward_enc/bias"], bi.Variables.Select(v => v.Name));
        Assert.Equal(6, bi.TrainableVariables.Count);
        Assert.NotEqual(bi.ForwardLayer.Kernel!.ToArray<float>(), bi.BackwardLayer.Kernel!.ToArray<float>());
    }

    [Theory]
    [InlineData("concat")]
    [InlineData("sum")]
    [InlineData("mul")]
    [InlineData("ave")]
    [InlineData("none")]
    public void Merge_modes_combine_the_two_directions(string mode)
    {
        var bi = Built(new Bidirectional(new GRU(2, returnSequences: true), mode));
        var result = bi.CallWithState(Random(1, 2, 4, 3));
        var (f, b) = (result.Forward.ToArray<double>(), result.Backward.ToArray<double>());
        Assert.Equal([2, 4, 2], result.Forward.Shape);
        if (mode == "none")
        {
            Assert.Null(result.Output);
            return;
        }
        var y = result.Output!.ToArray<double>();
        Assert.Equal(mode == "concat" ? [2, 4, 4] : new[] { 2, 4, 2 }, result.Output.Shape);
        Assert.Equal(result.Output.Shape.Skip(1), bi.ComputeOutputShape([4, 3]));
        for (int i = 0; i < f.Length; i++)
        {
            double expected = mode switch { "sum" => f[i] + b[i], "mul" => f[i] * b[i], "ave" => (f[i] + b[i]) / 2, _ => double.NaN };
            if (mode == "concat")
            {
                int row = i / 2, unit = i % 2;
                Assert.Equal(f[i], y[row * 4 + unit]);
                Assert.Equal(b[i], y[row * 4 + 2 + unit]);
            }
            else Assert.Equal(expected, y[i], 14);
        }
    }

    [Fact]
    public void Backward_half_is_a_backwards_layer_put_back_in_time_order()
    {
        var bi = Built(new Bidirectional(new LSTM(3, returnSequences: true)));
        var backwards = new LSTM(3, returnSequences: true, goBackwards: true) { DType = DType.Float64 };
        backwards.Build([4, 3]);
        for (int i = 0; i < 3; i++) backwards.Variables[i].Assign(bi.BackwardLayer.Variables[i]);
        var x = Random(2, 2, 4, 3);
        var own = backwards.Call(x).Gather(Tensor.FromArray(new[] { 3, 2, 1, 0 }), axis: 1);
        AssertClose(own.ToArray<double>(), bi.CallWithState(x).Backward, 1e-12);
    }

    [Fact]
    public void States_are_forward_then_backward_and_initial_states_split_in_halves()
    {
        var bi = Built(new Bidirectional(new LSTM(2)));
        var x = Random(3, 2, 4, 3);
        var zero = bi.CallWithState(x);
        Assert.Equal(4, zero.States.Count);
        Assert.Equal(bi.ForwardLayer.CallWithState(x).States[1].ToArray<double>(), zero.States[1].ToArray<double>());
        Assert.Equal(bi.BackwardLayer.CallWithState(x).States[0].ToArray<double>(), zero.States[2].ToArray<double>());

        Tensor[] initial = [Random(4, 2, 2), Random(5, 2, 2), Random(6, 2, 2), Random(7, 2, 2)];
        var started = bi.CallWithState(x, initial);
        Assert.Equal(bi.ForwardLayer.CallWithState(x, initial[..2]).Output.ToArray<double>(), started.Forward.ToArray<double>());
        Assert.Equal(bi.BackwardLayer.CallWithState(x, initial[2..]).Output.ToArray<double>(), started.Backward.ToArray<double>());
        Assert.Contains("even number of initial states", Assert.Throws<ArgumentException>(() => bi.CallWithState(x, initial[..3])).Message);
    }

    [Fact]
    public void Gradients_match_finite_differences() =>
        AssertGradientsMatch(new Bidirectional(new GRU(2, returnSequences: true), "concat"), Random(8, 2, 3, 2));

    [Fact]
    public void Gradients_with_a_mask_match_finite_differences()
    {
        var bi = new Bidirectional(new LSTM(2), "ave");
        var mask = Tensor.FromArray(new[] { 1, 1, 0, 0, 1, 1 }, 2, 3);
        AssertGradientsMatch(bi, [Random(9, 2, 3, 2)], args => bi.Call(args[0], mask: mask));
    }

    [Fact]
    public void Config_round_trips_with_the_wrapped_layers()
    {
        var bi = new Bidirectional(new GRU(3, returnSequences: true, resetAfter: false, name: "g"), "sum", name: "bi");
        var copy = Assert.IsType<Bidirectional>(RoundTrip(bi));
        Assert.Equal(ConfigJson(bi), ConfigJson(copy));
        Assert.Equal("forward_g", copy.ForwardLayer.Name);
        Assert.Equal("backward_g", copy.BackwardLayer.Name);
        Assert.False(Assert.IsType<GRU>(copy.BackwardLayer).ResetAfter);
        var config = bi.GetConfig();
        Assert.Equal("sum", config["merge_mode"]);
        Assert.Null(new Bidirectional(new LSTM(2), "none").GetConfig()["merge_mode"]); // Keras writes None
    }

    [Fact]
    public void A_given_backward_layer_is_used_for_the_backward_direction()
    {
        var bi = new Bidirectional(new LSTM(2, returnSequences: true), backwardLayer: new LSTM(2, returnSequences: true, goBackwards: true, activation: "relu", name: "back"));
        Assert.Equal("back", bi.BackwardLayer.Name);
        Assert.Equal("relu", bi.BackwardLayer.ActivationName);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Contains("merge_mode must be one of", Assert.Throws<ArgumentException>(() => new Bidirectional(new LSTM(2), "max")).Message);
        Assert.Contains("both have go_backwards = False",
            Assert.Throws<ArgumentException>(() => new Bidirectional(new LSTM(2), backwardLayer: new LSTM(2))).Message);
        Assert.Contains("return_sequences",
            Assert.Throws<ArgumentException>(() => new Bidirectional(new LSTM(2), backwardLayer: new LSTM(2, goBackwards: true, returnSequences: true))).Message);
        var none = new Bidirectional(new GRU(2), "none", name: "bi_none");
        var e = Assert.Throws<InvalidOperationException>(() => none.Call(Tensor.Zeros([1, 2, 2])));
        Assert.Contains("Bidirectional 'bi_none': merge_mode is none", e.Message);
    }
}
