using Descent.Nn.Layers;
using Descent.Nn.Models;

namespace Descent.Onnx.Tests;

/// <summary>What cannot be exported says what and why, and leaves no file behind.</summary>
public class ExportErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("descent-onnx-").FullName;

    static ExportErrorTests()
    {
        OnnxExporters.RegisterLayer<SilentMaskMaker>((_, x, _) => x);
        OnnxExporters.RegisterLayer<FloatMaskMaker>((_, x, graph) =>
        {
            graph.SetOutputMask(x);
            return x;
        });
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_layer_without_an_exporter_is_named_with_its_class()
    {
        var model = new Sequential([new Dense(3), new Unexportable(name: "mystery")], [4]);
        string path = Path.Combine(_folder, "model.onnx");

        var e = Assert.Throws<ArgumentException>(() => model.ExportOnnx(path));

        Assert.Contains("layer 'mystery' (Unexportable) has no ONNX exporter", e.Message);
        Assert.Contains("OnnxExporters.RegisterLayer<Unexportable>", e.Message);
        Assert.False(OnnxExporters.CanExport(model.Layers[1]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void A_subclassed_model_without_an_exporter_is_named_with_its_class()
    {
        var model = new Opaque();
        model.Build([3]);

        var e = Assert.Throws<ArgumentException>(() => model.ToOnnx());

        Assert.Contains("model 'opaque' is a Opaque", e.Message);
        Assert.Contains("OnnxExporters.RegisterModel<Opaque>", e.Message);
    }

    [Fact]
    public void A_model_that_is_not_built_is_refused()
    {
        var model = new Sequential([new Dense(2)], name: "lazy");
        var e = Assert.Throws<InvalidOperationException>(() => model.ToOnnx());
        Assert.Contains("model 'lazy' is not built", e.Message);
    }

    [Fact]
    public void A_model_without_layers_is_refused()
    {
        var model = new Sequential(inputShape: [3], name: "empty");
        var e = Assert.Throws<InvalidOperationException>(() => model.ToOnnx());
        Assert.Contains("model 'empty' has no layers", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(OnnxExport.MinOpset - 1)]
    [InlineData(OnnxExport.MaxOpset + 1)]
    public void An_opset_outside_the_written_range_is_refused_with_the_range(int opset)
    {
        var model = new Sequential([new Dense(2)], [3]);
        string path = Path.Combine(_folder, "model.onnx");

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.ExportOnnx(path, opset));

        Assert.Equal("opset", e.ParamName);
        Assert.Contains($"opset {opset} is not supported; choose {OnnxExport.MinOpset} to {OnnxExport.MaxOpset}", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Null_and_blank_arguments_are_refused()
    {
        var model = new Sequential([new Dense(2)], [3]);
        Assert.Throws<ArgumentNullException>(() => ((Model)null!).ExportOnnx("x.onnx"));
        Assert.Throws<ArgumentNullException>(() => model.ExportOnnx(null!));
        Assert.Throws<ArgumentException>(() => model.ExportOnnx(" "));
        Assert.Throws<ArgumentNullException>(() => OnnxExporters.RegisterLayer<Dense>(null!));
        Assert.Throws<ArgumentNullException>(() => OnnxExporters.CanExport(null!));
    }

    [Fact]
    public void A_path_that_cannot_be_written_fails_with_the_io_error_and_leaves_the_old_file()
    {
        // A folder where the file should go: the rename onto it fails, and the temporary file is cleaned up.
        string path = Path.Combine(_folder, "taken");
        Directory.CreateDirectory(path);
        var model = new Sequential([new Dense(2)], [3]);

        Assert.ThrowsAny<IOException>(() => model.ExportOnnx(path));

        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void A_recurrent_activation_onnx_operators_lack_is_refused_with_the_layer_and_the_activation()
    {
        // Every activation Descent knows is either one the operators have (each a LayerCases case) or refused here.
        Assert.Subset(Activations.Names.ToHashSet(), LayerCases.RecurrentActivations.ToHashSet());
        foreach (string activation in Activations.Names.Except(LayerCases.RecurrentActivations))
        {
            foreach (var (layer, op) in new (Recurrent, string)[]
            {
                (new SimpleRNN(2, activation, name: "cell"), "RNN"),
                (new LSTM(2, recurrentActivation: activation, name: "cell"), "LSTM"),
                (new GRU(2, activation, name: "cell"), "GRU"),
            })
            {
                var model = new Sequential([layer], [3, 2]);
                var e = Assert.Throws<ArgumentException>(() => model.ToOnnx());
                Assert.Contains($"layer 'cell' ({layer.GetType().Name}) uses the activation '{activation}', which ONNX's {op} operator does not have", e.Message);
            }
        }
    }

    [Fact]
    public void A_recurrent_layer_that_returns_its_states_is_refused_by_name()
    {
        var model = new Sequential([new LSTM(3, returnState: true, name: "stateful")], [4, 2]);
        var e = Assert.Throws<ArgumentException>(() => model.ToOnnx());
        Assert.Contains("layer 'stateful' (LSTM) has return_state set", e.Message);
    }

    [Theory]
    [InlineData(null, false, "merge_mode none")]
    [InlineData("concat", true, "return_state set")]
    public void A_bidirectional_layer_with_more_than_one_output_is_refused_by_name(string? mergeMode, bool returnState, string reason)
    {
        var model = new Sequential([new Bidirectional(new GRU(2, returnState: returnState), mergeMode, name: "both")], [4, 2]);
        var e = Assert.Throws<ArgumentException>(() => model.ToOnnx());
        Assert.Contains($"layer 'both' (Bidirectional) has {reason}", e.Message);
    }

    [Fact]
    public void A_layer_that_makes_a_mask_its_exporter_does_not_write_is_refused_by_name()
    {
        // Its ComputeMask makes a new mask, which the LSTM after it would read: exporting without it would be wrong.
        var model = new Sequential([new SilentMaskMaker(name: "quiet"), new LSTM(2)], [4, 2]);
        var e = Assert.Throws<ArgumentException>(() => model.ToOnnx());
        Assert.Contains("layer 'quiet' (SilentMaskMaker) makes a mask for the layers after it, and its exporter does not write it", e.Message);
    }

    [Fact]
    public void A_mask_that_is_not_bool_is_refused()
    {
        var model = new Sequential([new FloatMaskMaker(), new LSTM(2)], [4, 2]);
        var e = Assert.Throws<ArgumentException>(() => model.ToOnnx());
        Assert.Contains("SetOutputMask: the mask 'input' must be a bool value, not Float", e.Message);
    }

    [Fact]
    public void A_transformer_decoder_with_cross_attention_is_refused_by_name()
    {
        // Its first call, with an encoder sequence, gave it cross-attention: a second input a Sequential's graph lacks.
        var decoder = new TransformerDecoder(8, 2, name: "cross");
        decoder.Call(Tensor.Zeros(1, 5, 4), Tensor.Zeros(1, 3, 6));
        var model = new Sequential([decoder], [5, 4]);
        var e = Assert.Throws<ArgumentException>(() => model.ToOnnx());
        Assert.Contains("layer 'cross' (TransformerDecoder) has cross-attention", e.Message);
    }
}
