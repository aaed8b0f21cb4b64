using Descent.Nn.Layers;

namespace Descent.Onnx.Layers;

/// <summary>
/// SimpleRNN, LSTM and GRU as ONNX's RNN, LSTM and GRU operators, with Keras's weights moved to ONNX's layout and gate
/// order; Bidirectional as one operator running both directions, or as its two layers merged.
/// </summary>
/// <remarks>
/// Without a mask one operator node runs the whole sequence. With a mask (from Masking) each step is its own node of
/// one step, and a Where keeps the previous state on a masked step, which is Keras's rule for any mask, padding at
/// the end, the start or in between (the operator's sequence_lens would give it only for padding at the end).
/// </remarks>
internal static class RecurrentExports
{
    public static void Register()
    {
        OnnxExporters.RegisterLayer<SimpleRNN>((layer, x, graph) => Sequence(layer, x, graph));
        OnnxExporters.RegisterLayer<LSTM>((layer, x, graph) => Sequence(layer, x, graph));
        OnnxExporters.RegisterLayer<GRU>((layer, x, graph) => Sequence(layer, x, graph));
        OnnxExporters.RegisterLayer<Bidirectional>(Bidirectional);
    }

    // The layer's output as Descent gives it: the last output [batch, units], or every output [batch, time, units] in
    // the order the steps ran (from the last step to the first with go_backwards, as Keras).
    private static string Sequence(Recurrent layer, string x, OnnxGraph graph)
    {
        var op = RecurrentOperator.Add(graph, RecurrentCell.Of(layer));
        if (graph.InputMask is { } mask) return Stepwise(layer, op, x, mask, graph);
        string y = Whole(op, layer.GoBackwards ? "reverse" : "forward", x, layer.ReturnSequences, graph);
        // [batch, (time,) 1, units] → [batch, (time,) units]
        y = graph.Node("Reshape", [y, graph.Constant("shape", Shape(layer.ReturnSequences, layer.InputShape![0], layer.Units))]);
        // ONNX gives the reverse direction's outputs in time order; Keras gives them in the order they were computed.
        return layer.GoBackwards && layer.ReturnSequences ? OnnxOps.ReverseSteps(graph, y) : y;
    }

    private static string Bidirectional(Bidirectional layer, string x, OnnxGraph graph)
    {
        if (layer.ReturnState || layer.MergeMode == "none")
            throw new ArgumentException($"ExportOnnx: layer '{layer.Name}' (Bidirectional) has {(layer.ReturnState ? "return_state set" : "merge_mode none")}, "
                + "so it returns more than one tensor, which a layer of the graph cannot; export it with merge_mode set and return_state off.", nameof(layer));
        var (forward, backward) = (RecurrentCell.Of(layer.ForwardLayer), RecurrentCell.Of(layer.BackwardLayer));
        if (graph.InputMask is null && !layer.ForwardLayer.GoBackwards && forward.SharesOperatorWith(backward))
            return BothDirections(layer, RecurrentOperator.Add(graph, forward, backward), x, graph);
        // Otherwise each layer on its own (with the mask, if one came), then Descent's merge.
        string y = graph.Layer(layer.ForwardLayer, x, graph.InputMask).Output;
        string yBack = graph.Layer(layer.BackwardLayer, x, graph.InputMask).Output;
        // The backward layer's steps come in the order they ran; Bidirectional puts them back in time order.
        if (layer.ReturnSequences) yBack = OnnxOps.ReverseSteps(graph, yBack);
        return layer.MergeMode switch
        {
            "concat" => graph.Node("Concat", [y, yBack], ("axis", -1)),
            "sum" => graph.Node("Add", [y, yBack]),
            "mul" => graph.Node("Mul", [y, yBack]),
            _ => graph.Node("Mul", [graph.Node("Add", [y, yBack]), graph.Scalar("half", 0.5, graph.TypeOf(y))]),
        };
    }

    // One bidirectional operator node: direction 0 is the forward layer, 1 the backward one, both in time order.
    private static string BothDirections(Bidirectional layer, RecurrentOperator op, string x, OnnxGraph graph)
    {
        string y = Whole(op, "bidirectional", x, layer.ReturnSequences, graph);
        int time = layer.ForwardLayer.InputShape![0], units = layer.ForwardLayer.Units;
        // y is [batch, (time,) 2, units]: "concat" puts the two directions side by side, the others reduce over them.
        return layer.MergeMode switch
        {
            "concat" => graph.Node("Reshape", [y, graph.Constant("shape", Shape(layer.ReturnSequences, time, 2 * units))]),
            "sum" => OnnxOps.Reduce(graph, "ReduceSum", y, [-2], keepDims: false),
            "mul" => OnnxOps.Reduce(graph, "ReduceProd", y, [-2], keepDims: false),
            _ => OnnxOps.ReduceMean(graph, y, [-2], keepDims: false),
        };
    }

    // One operator node over the whole sequence [batch, time, features]: every step's outputs as [batch, time,
    // directions, units], or the last ones as [batch, directions, units].
    private static string Whole(RecurrentOperator op, string direction, string x, bool returnSequences, OnnxGraph graph)
    {
        // The operators take time-major input and give time-major outputs (their batch-major layout, opset 14's
        // layout = 1, has no CPU kernel in ONNX Runtime).
        var outputs = op.Node(graph, direction, graph.Node("Transpose", [x], ("perm", new[] { 1, 0, 2 })), "", "");
        return returnSequences
            ? graph.Node("Transpose", [outputs[0]], ("perm", new[] { 2, 0, 1, 3 }))   // Y [time, directions, batch, units]
            : graph.Node("Transpose", [outputs[1]], ("perm", new[] { 1, 0, 2 }));     // Y_h [directions, batch, units]
    }

    // One node of one step per time step, in the order the layer runs them; on a masked step the states stay, and the
    // output is the previous output (zeros before the first) or, with zero_output_for_mask, zeros, as in Descent.
    private static string Stepwise(Recurrent layer, RecurrentOperator op, string x, string mask, OnnxGraph graph)
    {
        int time = layer.InputShape![0];
        string ones = graph.Constant("split", Enumerable.Repeat(1L, time).ToArray());
        // Step t's input [1, batch, features] and whether it is kept, [1, batch, 1].
        var inputs = graph.NodeWithOutputs("Split", [graph.Node("Transpose", [x], ("perm", new[] { 1, 0, 2 })), ones], time, ("axis", 0));
        string keepAll = graph.Node("Unsqueeze", [graph.Node("Transpose", [mask], ("perm", new[] { 1, 0 })), graph.Constant("axes", 2)]);
        var keeps = graph.NodeWithOutputs("Split", [keepAll, ones], time, ("axis", 0));
        string zero = graph.Scalar("zero", 0, graph.TypeOf(x));
        // "" is ONNX's absent input: the operator starts from zeros, and Where broadcasts the scalar zero to match.
        string h = "", c = "", output = "";
        var steps = new List<string>();
        for (int k = 0; k < time; k++)
        {
            int t = layer.GoBackwards ? time - 1 - k : k;
            var next = op.Node(graph, "forward", inputs[t], h, c);
            string keep = keeps[t];
            h = graph.Node("Where", [keep, next[1], h.Length == 0 ? zero : h]);
            if (next.Count == 3) c = graph.Node("Where", [keep, next[2], c.Length == 0 ? zero : c]);
            // An unmasked step's output is its new h, so "the previous output" on a masked step is the h kept there.
            output = layer.ZeroOutputForMask ? graph.Node("Where", [keep, next[1], zero]) : h;
            if (layer.ReturnSequences) steps.Add(output);
        }
        // Each output is [1, batch, units]: the steps side by side as [time, batch, units], then batch first.
        return layer.ReturnSequences
            ? graph.Node("Transpose", [graph.Node("Concat", steps, ("axis", 0))], ("perm", new[] { 1, 0, 2 }))
            : graph.Node("Reshape", [output, graph.Constant("shape", -1, layer.Units)]);
    }

    // The Reshape target of [batch, time, width] or [batch, width], with the batch axis left free.
    private static long[] Shape(bool sequences, int time, int width) => sequences ? [-1, time, width] : [-1, width];
}
