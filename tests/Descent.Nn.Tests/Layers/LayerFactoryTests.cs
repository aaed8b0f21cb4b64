using System.Text.Json;
using Descent.Nn.Initializers;
using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class LayerFactoryTests
{
    public static TheoryData<Layer, int[]> Layers() => new()
    {
        { new Dense(4, "relu", useBias: false, kernelInitializer: new HeNormal(), biasInitializer: new Constant(0.1), name: "fc"), [3] },
        { new Dense(2) { DType = DType.Float64 }, [2, 5] },
        { new Activation("gelu"), [3] },
        { new Dropout(0.25, seed: 9), [3] },
        { new Dropout(0.5), [3] },
        { new Flatten(), [2, 3] },
        { new Reshape([3, -1]), [6] },
        { new BatchNormalization(axis: 1, momentum: 0.9, epsilon: 1e-5, center: false), [3, 2] },
        { new LayerNormalization(epsilon: 1e-6, scale: false), [4] },
        { new Conv2D(3, (3, 2), (2, 1), "same", (1, 2), "tanh", kernelInitializer: new RandomNormal(0, 0.2)), [6, 5, 2] },
        { new MaxPooling2D(3, 2, "same"), [5, 5, 2] },
        { new AveragePooling2D((2, 3), (1, 2)), [5, 5, 2] },
        { new GlobalAveragePooling2D(keepDims: true), [4, 4, 2] },
        { new Embedding(10, 4, new RandomUniform(-1, 1)), [3] },
        { new Conv1D(3, 2, 2, "causal", 1, "relu", kernelInitializer: new HeUniform()), [7, 2] },
        { new MaxPooling1D(2, 1, "same"), [5, 3] },
        { new GlobalAveragePooling1D(keepDims: true), [4, 3] },
        { new GlobalMaxPooling1D(), [4, 3] },
        { new Masking(0.5), [3, 2] },
        { new SimpleRNN(3, "relu", returnSequences: true, goBackwards: true), [4, 2] },
        { new LSTM(3, dropout: 0.2, recurrentDropout: 0.3, seed: 7, unitForgetBias: false), [4, 2] },
        { new GRU(2, resetAfter: false, returnSequences: true) { DType = DType.Float64 }, [3, 2] },
        { new Bidirectional(new GRU(2, returnSequences: true), "concat", name: "bi_gru"), [4, 3] },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Config_round_trips_through_json_and_the_factory(Layer layer, int[] inputShape)
    {
        var copy = RoundTrip(layer);

        Assert.IsType(layer.GetType(), copy);
        Assert.Equal(layer.Name, copy.Name);
        Assert.Equal(layer.DType, copy.DType);
        Assert.Equal(ConfigJson(layer), ConfigJson(copy));
        Assert.Equal(layer.ComputeOutputShape(inputShape), copy.ComputeOutputShape(inputShape));
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Output_shape_matches_ComputeOutputShape_and_a_copy_computes_the_same(Layer layer, int[] inputShape)
    {
        var copy = RoundTrip(layer);
        var x = layer is Embedding
            ? Tensor.FromArray(new[] { 1, 5, 9, 0, 2, 3 }, [2, .. inputShape])
            : Tensor.RandomUniform([2, .. inputShape], new Generator(1), -1, 1, layer.DType);
        layer.Build(inputShape, new Generator(4));
        copy.Build(inputShape, new Generator(4));

        var y = layer.Call(x, training: true);

        Assert.Equal([2, .. layer.ComputeOutputShape(inputShape)], y.Shape);
        Assert.Equal(y.ToArray<double>(), copy.Call(x, training: true).ToArray<double>());
    }

    [Fact]
    public void Configs_use_keras_keys()
    {
        var conv = new Conv2D(8, 3, strides: 2, padding: "same").GetConfig();
        Assert.Equal(8, conv["filters"]);
        Assert.Equal(new[] { 3, 3 }, conv["kernel_size"]);
        Assert.Equal(new[] { 2, 2 }, conv["strides"]);
        Assert.Equal("same", conv["padding"]);
        Assert.Equal(new[] { 1, 1 }, conv["dilation_rate"]);
        Assert.Equal("linear", conv["activation"]);
        Assert.Equal("glorot_uniform", conv["kernel_initializer"]);
        Assert.Equal("zeros", conv["bias_initializer"]);
        Assert.Equal("float32", conv["dtype"]);

        var dense = new Dense(5, "softmax", name: "out").GetConfig();
        Assert.Equal(["name", "dtype", "units", "activation", "use_bias", "kernel_initializer", "bias_initializer"], dense.Keys);
        Assert.Equal("out", dense["name"]);
    }

    [Fact]
    public void Keras_style_configs_with_defaults_and_integer_sizes_are_accepted()
    {
        var config = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"filters": 4, "kernel_size": 3, "strides": 2}""")!;
        var conv = Assert.IsType<Conv2D>(LayerFactory.FromConfig("Conv2D", config));
        Assert.Equal((3, 3), conv.KernelSize);
        Assert.Equal((2, 2), conv.Strides);
        Assert.Equal("valid", conv.Padding);
        Assert.Equal(DType.Float32, conv.DType);
    }

    [Fact]
    public void Unknown_class_and_missing_or_malformed_keys_are_reported()
    {
        var empty = new Dictionary<string, JsonElement>();
        var e = Assert.Throws<ArgumentException>(() => LayerFactory.FromConfig("Conv3D", empty));
        Assert.Contains("unknown layer class 'Conv3D'", e.Message);
        Assert.Contains("Conv2D", e.Message);

        e = Assert.Throws<ArgumentException>(() => LayerFactory.FromConfig("Dense", empty));
        Assert.Contains("Dense config lacks 'units'", e.Message);

        var bad = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"units": "four"}""")!;
        e = Assert.Throws<ArgumentException>(() => LayerFactory.FromConfig("Dense", bad));
        Assert.Contains("'units' should be an integer", e.Message);
    }

    [Fact]
    public void A_bidirectional_config_needs_a_recurrent_layer_inside()
    {
        static Dictionary<string, JsonElement> Config(string json) => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
        Assert.Contains("Bidirectional config lacks 'layer'",
            Assert.Throws<ArgumentException>(() => LayerFactory.FromConfig("Bidirectional", Config("""{"merge_mode": "sum"}"""))).Message);
        Assert.Contains("'layer' should be an object with \"class_name\" and \"config\"",
            Assert.Throws<ArgumentException>(() => LayerFactory.FromConfig("Bidirectional", Config("""{"layer": 3}"""))).Message);
        Assert.Contains("should be a recurrent layer",
            Assert.Throws<ArgumentException>(() => LayerFactory.FromConfig("Bidirectional",
                Config("""{"layer": {"class_name": "Dense", "config": {"units": 2}}}"""))).Message);
        var keras = Assert.IsType<Bidirectional>(LayerFactory.FromConfig("Bidirectional",
            Config("""{"layer": {"class_name": "LSTM", "config": {"units": 2, "name": "lstm"}}}""")));
        Assert.Equal(("concat", "forward_lstm", "backward_lstm"), (keras.MergeMode, keras.ForwardLayer.Name, keras.BackwardLayer.Name));
    }
}
