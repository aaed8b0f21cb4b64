using System.Globalization;

namespace Descent.Cli.Explain;

/// <summary>
/// An expression evaluated with Descent tensors: each node is a float64 scalar, each name a
/// <see cref="Variable"/>, and one tape pass gives the output's gradient with respect to every node.
/// </summary>
internal sealed class ExpressionGraph
{
    private ExpressionGraph(string expression, IReadOnlyList<GraphNode> nodes, IReadOnlyDictionary<string, double> gradients)
    {
        Expression = expression;
        Nodes = nodes;
        Gradients = gradients;
    }

    public string Expression { get; }

    /// <summary>In evaluation order; the last is the output.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    public GraphNode Output => Nodes[^1];

    /// <summary>d output / d name, for every name, in order of first appearance.</summary>
    public IReadOnlyDictionary<string, double> Gradients { get; }

    /// <summary>Parses <paramref name="expression"/> and evaluates it at <paramref name="values"/>, which must
    /// give every name in it and nothing else.</summary>
    public static ExpressionGraph Evaluate(string expression, IReadOnlyDictionary<string, double> values)
    {
        var root = ExpressionParser.Parse(expression);
        var builder = new Builder(expression, values);
        using var tape = new GradientTape();
        builder.Build(root, tape);
        foreach (string name in values.Keys)
            if (!builder.Variables.ContainsKey(name))
                throw new ArgumentException($"--at gives {name}, which is not in the expression.");

        var tensors = builder.Tensors;
        // All nodes as sources of one call: intermediate tensors are on the tape like the variables, so
        // the same backward pass that reaches the leaves yields every d output / d node.
        var grads = tape.Gradient(tensors[^1], tensors, UnconnectedGradients.Zero);
        var nodes = builder.Pending.Select((n, i) => n with { Value = tensors[i].Item<double>(), Grad = grads[i]!.Item<double>() }).ToArray();
        var gradients = builder.Variables.ToDictionary(kv => kv.Key, kv => nodes[kv.Value].Grad);
        return new ExpressionGraph(expression, nodes, gradients);
    }

    /// <summary>Turns the syntax tree into tensors, depth first, inputs before the node that uses them.</summary>
    private sealed class Builder(string source, IReadOnlyDictionary<string, double> values)
    {
        public List<Tensor> Tensors { get; } = [];

        /// <summary>Nodes without values yet; they are filled in once the gradients are known.</summary>
        public List<GraphNode> Pending { get; } = [];

        /// <summary>Name → node id. One node per name, however often it appears, so its gradient sums every use.</summary>
        public Dictionary<string, int> Variables { get; } = [];

        public int Build(Expr e, GradientTape tape)
        {
            if (e.Op == "var")
            {
                if (Variables.TryGetValue(e.Name, out int existing))
                    return existing;
                if (!values.TryGetValue(e.Name, out double value))
                    throw new ArgumentException($"{e.Name} has no value: give it with --at {e.Name}=<number>.");
                int id = Add(new Variable(value, e.Name), e, e.Name, []);
                Variables[e.Name] = id;
                return id;
            }
            if (e.Op == "const")
            {
                var constant = Tensor.Scalar(e.Number);
                // Watched so that constants get a gradient too, as in micrograd's drawings.
                tape.Watch(constant);
                return Add(constant, e, F(e.Number), []);
            }
            int[] inputs = e.Args.Select(a => Build(a, tape)).ToArray();
            Tensor x = Tensors[inputs[0]];
            Tensor y = e.Op switch
            {
                "neg" => -x,
                "+" => x + Tensors[inputs[1]],
                "-" => x - Tensors[inputs[1]],
                "*" => x * Tensors[inputs[1]],
                "/" => x / Tensors[inputs[1]],
                "^" => Tensor.Pow(x, Tensors[inputs[1]]),
                "^n" => x.Pow(e.Number),
                "sigmoid" => x.Sigmoid(),
                "tanh" => x.Tanh(),
                "relu" => x.Relu(),
                "exp" => x.Exp(),
                "log" => x.Log(),
                "sqrt" => x.Sqrt(),
                "square" => x.Square(),
                "abs" => x.Abs(),
                "sin" => x.Sin(),
                "cos" => x.Cos(),
                _ => throw new InvalidOperationException($"explain: no op for '{e.Op}'."),
            };
            string label = e.Op switch
            {
                "neg" => "−",
                "^n" => "^" + F(e.Number),
                _ => e.Op,
            };
            return Add(y, e, label, inputs);
        }

        private int Add(Tensor t, Expr e, string label, int[] inputs)
        {
            Tensors.Add(t);
            Pending.Add(new GraphNode(Pending.Count, e.Op, label, source[e.Start..e.End], inputs, 0, 0));
            return Pending.Count - 1;
        }
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
