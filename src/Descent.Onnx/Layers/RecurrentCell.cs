using Descent.Nn.Layers;

namespace Descent.Onnx.Layers;

/// <summary>
/// One direction of ONNX's RNN, LSTM or GRU operator for a recurrent layer: the layer's weights in ONNX's layout (W
/// [gates·units, features], R [gates·units, units], B [2·gates·units], the input biases then the recurrent ones) and
/// gate order, and its activations by ONNX's names.
/// </summary>
internal sealed record RecurrentCell(string OpType, int Units, Tensor W, Tensor R, Tensor B, string[] Activations, float[] Alphas, float[] Betas, int? LinearBeforeReset)
{
    // The activations ONNX's recurrent operators have, for each Keras name that has one; alpha and beta as ONNX Runtime
    // reads them (in the order of the activations, for those that take them), always written so no default matters.
    private static readonly Dictionary<string, (string Name, float[] Alpha, float[] Beta)> OnnxActivations = new()
    {
        ["linear"] = ("Affine", [1f], [0f]),
        ["relu"] = ("Relu", [], []),
        ["sigmoid"] = ("Sigmoid", [], []),
        ["tanh"] = ("Tanh", [], []),
        ["elu"] = ("Elu", [1f], []),
        // Keras's leaky_relu by name has a slope of 0.2.
        ["leaky_relu"] = ("LeakyRelu", [0.2f], []),
        ["softplus"] = ("Softplus", [], []),
    };

    /// <summary>The Keras activation names ONNX's recurrent operators can express.</summary>
    public static IReadOnlyCollection<string> SupportedActivations => OnnxActivations.Keys;

    /// <summary>The ONNX form of <paramref name="layer"/>; throws ArgumentException naming the layer for what ONNX's operators cannot express.</summary>
    public static RecurrentCell Of(Recurrent layer)
    {
        if (layer.ReturnState)
            throw new ArgumentException($"ExportOnnx: layer '{layer.Name}' ({layer.GetType().Name}) has return_state set, so it returns its states too, "
                + "which a layer of the graph cannot; export it with return_state off.", nameof(layer));
        // Keras's gate blocks, listed in ONNX's order: LSTM's i, f, c, o become i, o, f, c; GRU's z, r, h stay.
        var (opType, order, activations, linearBeforeReset) = layer switch
        {
            SimpleRNN => ("RNN", new[] { 0 }, new[] { layer.ActivationName }, (int?)null),
            LSTM lstm => ("LSTM", [0, 3, 1, 2], [lstm.RecurrentActivationName, layer.ActivationName, layer.ActivationName], null),
            // reset_after applies the reset gate to the recurrent product with its bias: ONNX's linear_before_reset.
            GRU gru => ("GRU", [0, 1, 2], [gru.RecurrentActivationName, layer.ActivationName], gru.ResetAfter ? 1 : 0),
            _ => throw new ArgumentException($"ExportOnnx: layer '{layer.Name}' is a {layer.GetType().Name}, a recurrent layer ONNX has no operator for; "
                + $"register an exporter with OnnxExporters.RegisterLayer<{layer.GetType().Name}>(...).", nameof(layer)),
        };
        var onnx = activations.Select(a => OnnxActivations.TryGetValue(a, out var f) ? f : throw new ArgumentException(
            $"ExportOnnx: layer '{layer.Name}' ({layer.GetType().Name}) uses the activation '{a}', which ONNX's {opType} operator does not have; "
            + $"it has {string.Join(", ", OnnxActivations.Keys)}.", nameof(layer))).ToArray();
        int units = layer.Units, gates = order.Length;
        var kernel = layer.Kernel!;
        var zeros = Tensor.Zeros([gates * units], kernel.DType, kernel.Device);
        var bias = layer.Bias switch
        {
            null => Tensor.Concat([zeros, zeros]),
            // GRU with reset_after: [2, 3·units], the input biases and the recurrent ones, already ONNX's B in two rows.
            { Rank: 2 } b => b.Reshape(2 * gates * units),
            var b => Tensor.Concat([InOrder(b, order, units), zeros]),
        };
        return new RecurrentCell(opType, units, InOrder(kernel, order, units).Transpose(1, 0), InOrder(layer.RecurrentKernel!, order, units).Transpose(1, 0),
            bias, onnx.Select(f => f.Name).ToArray(), onnx.SelectMany(f => f.Alpha).ToArray(), onnx.SelectMany(f => f.Beta).ToArray(), linearBeforeReset);
    }

    /// <summary>Whether <paramref name="other"/> can run as the second direction of the same operator node.</summary>
    public bool SharesOperatorWith(RecurrentCell other) =>
        OpType == other.OpType && Units == other.Units && LinearBeforeReset == other.LinearBeforeReset;

    // The blocks of units columns along the last axis, in the given order.
    private static Tensor InOrder(Tensor t, int[] order, int units) =>
        order.Length == 1 ? t : Tensor.Concat(order.Select(g => t.SliceAxis(t.Rank - 1, g * units, units)).ToArray(), axis: t.Rank - 1);
}
