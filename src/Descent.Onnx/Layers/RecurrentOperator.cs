namespace Descent.Onnx.Layers;

/// <summary>
/// The weights of one or two <see cref="RecurrentCell"/>s (forward, then reverse) as constants of the graph, and the
/// RNN, LSTM or GRU nodes that read them: one constant per weight however many nodes (one per step with a mask) use it.
/// </summary>
internal sealed class RecurrentOperator
{
    private readonly RecurrentCell[] _directions;
    private readonly string _w, _r, _b;

    private RecurrentOperator(RecurrentCell[] directions, string w, string r, string b) =>
        (_directions, _w, _r, _b) = (directions, w, r, b);

    /// <summary>Adds the weights of <paramref name="directions"/>, stacked as ONNX's [directions, ...] W, R and B.</summary>
    public static RecurrentOperator Add(OnnxGraph graph, params RecurrentCell[] directions) => new(directions,
        graph.Constant("W", Tensor.Stack(directions.Select(d => d.W).ToArray())),
        graph.Constant("R", Tensor.Stack(directions.Select(d => d.R).ToArray())),
        graph.Constant("B", Tensor.Stack(directions.Select(d => d.B).ToArray())));

    /// <summary>
    /// A node over the time-major <paramref name="x"/> [time, batch, features], starting from the states
    /// <paramref name="h"/> and <paramref name="c"/> (LSTM's cell) [directions, batch, units], or from zeros where they
    /// are "". Returns Y [time, directions, batch, units], Y_h [directions, batch, units] and, for LSTM, Y_c.
    /// </summary>
    public IReadOnlyList<string> Node(OnnxGraph graph, string direction, string x, string h, string c)
    {
        var cell = _directions[0];
        bool lstm = cell.OpType == "LSTM";
        // The optional sequence_lens stays out: masks are Where nodes (see RecurrentExports).
        var inputs = new List<string> { x, _w, _r, _b, "", h };
        if (lstm) inputs.Add(c);
        while (inputs[^1].Length == 0) inputs.RemoveAt(inputs.Count - 1);
        var attributes = new List<(string, object)>
        {
            ("hidden_size", cell.Units),
            ("direction", direction),
            ("activations", _directions.SelectMany(d => d.Activations).ToArray()),
        };
        float[] alphas = _directions.SelectMany(d => d.Alphas).ToArray(), betas = _directions.SelectMany(d => d.Betas).ToArray();
        if (alphas.Length > 0) attributes.Add(("activation_alpha", alphas));
        if (betas.Length > 0) attributes.Add(("activation_beta", betas));
        if (cell.LinearBeforeReset is int linearBeforeReset) attributes.Add(("linear_before_reset", linearBeforeReset));
        return graph.NodeWithOutputs(cell.OpType, inputs, lstm ? 3 : 2, [.. attributes]);
    }
}
