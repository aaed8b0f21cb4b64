using System.Runtime.InteropServices;
using Descent.Nn.Layers;
using Descent.Nn.Models;
using Descent.Onnx.Proto;

namespace Descent.Onnx.Tests;

/// <summary>
/// The recurrent layers' ONNX form read back from the file: the operator nodes, their attributes and the weight layout
/// (LayerExportTests checks the numbers in ONNX Runtime; this checks what a float64 model, which ONNX Runtime's CPU
/// provider cannot run, is written as, and that the mapping is the documented one).
/// </summary>
public class RecurrentFileTests
{
    [Fact]
    public void Lstm_weights_go_from_keras_gate_order_ifco_to_onnx_iofc_transposed()
    {
        const int units = 2, features = 3;
        var model = new Sequential([new LSTM(units, name: "lstm")], [4, features]);
        LayerCases.Randomize(model, seed: 5);
        var layer = (LSTM)model.Layers[0];
        var graph = Graph(model);

        var node = graph.Node.Single(n => n.OpType == "LSTM");
        Assert.Equal(["lstm/W", "lstm/R", "lstm/B"], node.Input.Skip(1));
        Assert.Equal(units, Attribute(node, "hidden_size").I);
        Assert.Equal("forward", Attribute(node, "direction").S.ToStringUtf8());
        Assert.Equal(["Sigmoid", "Tanh", "Tanh"], Attribute(node, "activations").Strings.Select(s => s.ToStringUtf8()));
        var kernel = layer.Kernel!.ToArray<float>();
        var recurrent = layer.RecurrentKernel!.ToArray<float>();
        var bias = layer.Bias!.ToArray<float>();
        var (w, r, b) = (Floats(graph, "lstm/W", [1, 4 * units, features]), Floats(graph, "lstm/R", [1, 4 * units, units]), Floats(graph, "lstm/B", [1, 8 * units]));
        int[] kerasGate = [0, 3, 1, 2];   // ONNX's i, o, f, c are Keras's blocks 0, 3, 1, 2
        for (int g = 0; g < 4; g++)
            for (int j = 0; j < units; j++)
            {
                int row = g * units + j, column = kerasGate[g] * units + j;
                for (int f = 0; f < features; f++) Assert.Equal(kernel[f * 4 * units + column], w[row * features + f]);
                for (int u = 0; u < units; u++) Assert.Equal(recurrent[u * 4 * units + column], r[row * units + u]);
                Assert.Equal(bias[column], b[row]);
                Assert.Equal(0f, b[4 * units + row]);   // Keras has no separate recurrent bias
            }
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void Gru_reset_after_is_linear_before_reset_with_the_recurrent_bias_row(bool resetAfter, long linearBeforeReset)
    {
        const int units = 2;
        var model = new Sequential([new GRU(units, resetAfter: resetAfter, name: "gru")], [4, 3]);
        LayerCases.Randomize(model, seed: 6);
        var bias = ((GRU)model.Layers[0]).Bias!.ToArray<float>();
        var graph = Graph(model);

        var node = graph.Node.Single(n => n.OpType == "GRU");
        Assert.Equal(linearBeforeReset, Attribute(node, "linear_before_reset").I);
        // ONNX's B is [Wb, Rb], z, r, h in each as in Keras: reset_after's two bias rows, or the one bias and zeros.
        float[] expected = resetAfter ? bias : [.. bias, .. new float[3 * units]];
        Assert.Equal(expected, Floats(graph, "gru/B", [1, 6 * units]));
    }

    [Fact]
    public void A_bidirectional_layer_without_a_mask_is_one_operator_node_running_both_directions()
    {
        var model = new Sequential([new Bidirectional(new GRU(2, returnSequences: true), name: "bi")], [5, 3]);
        var graph = Graph(model);

        var node = graph.Node.Single(n => n.OpType == "GRU");
        Assert.Equal("bidirectional", Attribute(node, "direction").S.ToStringUtf8());
        Assert.Equal(["Sigmoid", "Tanh", "Sigmoid", "Tanh"], Attribute(node, "activations").Strings.Select(s => s.ToStringUtf8()));
        Assert.Equal([2L, 6, 3], graph.Initializer.Single(t => t.Name == "bi/W").Dims);
    }

    [Fact]
    public void A_masked_layer_is_one_single_step_node_per_time_step()
    {
        var model = new Sequential([new Masking(), new LSTM(3, goBackwards: true)], [6, 2]);
        var graph = Graph(model);

        var steps = graph.Node.Where(n => n.OpType == "LSTM").ToArray();
        Assert.Equal(6, steps.Length);
        Assert.All(steps, n => Assert.Equal("forward", Attribute(n, "direction").S.ToStringUtf8()));
        // Each step after the first starts from the states the one before kept (h and c through Where).
        Assert.Equal(["W", "R", "B"], steps[0].Input.Skip(1).Select(i => i.Split('/')[^1]));
        Assert.All(steps.Skip(1), n => Assert.Equal(7, n.Input.Count));
        Assert.Single(graph.Initializer, t => t.Name.EndsWith("/W", StringComparison.Ordinal));
    }

    [Fact]
    public void A_float64_recurrent_model_is_written_in_double()
    {
        // ONNX's RNN, LSTM and GRU take double; ONNX Runtime 1.31's CPU provider has no double kernel for them (docs/onnx.md).
        var layer = new LSTM(2, returnSequences: true, name: "lstm") { DType = DType.Float64 };
        var model = new Sequential([layer, new Dense(1) { DType = DType.Float64 }], [4, 3]);
        var graph = Graph(model);

        Assert.Equal((int)OnnxElementType.Double, graph.Input[0].Type.TensorType.ElemType);
        Assert.Equal((int)OnnxElementType.Double, graph.Output[0].Type.TensorType.ElemType);
        foreach (string name in new[] { "lstm/W", "lstm/R", "lstm/B" })
            Assert.Equal((int)OnnxElementType.Double, graph.Initializer.Single(t => t.Name == name).DataType);
    }

    private static GraphProto Graph(Model model) => ModelProto.Parser.ParseFrom(model.ToOnnx()).Graph;

    private static AttributeProto Attribute(NodeProto node, string name) => node.Attribute.Single(a => a.Name == name);

    private static float[] Floats(GraphProto graph, string name, long[] dims)
    {
        var tensor = graph.Initializer.Single(t => t.Name == name);
        Assert.Equal(dims, tensor.Dims);
        return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }
}
