using System.CommandLine;
using System.Globalization;
using Descent.Cli.Explain;
using Spectre.Console;

namespace Descent.Cli.Commands;

/// <summary><c>descent explain EXPRESSION --at name=value,...</c>: the computation graph of an
/// expression, with every node's value and gradient, computed by Descent's autodiff.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliContext cli)
    {
        var expression = new Argument<string>("EXPRESSION")
        {
            Description = "e.g. \"sigmoid(w*x + b)\": numbers, names, + - * / ^, parentheses and "
                + string.Join(", ", ExpressionParser.Functions),
        };
        var at = new Option<string?>("--at") { Description = "The value of every name, e.g. w=1,x=2,b=3", HelpName = "name=value,..." };
        var dot = new Option<string?>("--dot") { Description = "Write the graph as Graphviz DOT to this file", HelpName = "FILE.dot" };
        var svg = new Option<string?>("--svg") { Description = "Draw the graph as SVG into this file", HelpName = "FILE.svg" };

        var command = new Command("explain", "Show the computation graph of an expression: each node's value and the gradient of the output")
        {
            expression, at, dot, svg,
        };
        command.SetAction(parseResult =>
        {
            var values = ParseValues(parseResult.GetValue(at));
            var graph = ExpressionGraph.Evaluate(parseResult.GetValue(expression)!, values);
            string? dotPath = parseResult.GetValue(dot), svgPath = parseResult.GetValue(svg);
            if (dotPath is not null)
                OutputFile.Write(dotPath, DotWriter.Write(graph), "DOT file");
            if (svgPath is not null)
            {
                var doc = SvgWriter.Write(graph);
                OutputFile.Write(svgPath, $"{doc.Declaration}\n{doc}\n", "SVG file");
            }
            if (cli.IsJson(parseResult))
                cli.WriteJson(ToJson(graph, dotPath, svgPath));
            else
                Describe(cli.Console, graph, values, dotPath, svgPath);
            return 0;
        });
        return command;
    }

    /// <summary>"w=1,x=2" to a dictionary; every mistake is one clear message.</summary>
    internal static IReadOnlyDictionary<string, double> ParseValues(string? text)
    {
        var values = new Dictionary<string, double>();
        if (string.IsNullOrWhiteSpace(text))
            return values;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string[] pair = part.Split('=', StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].Length == 0)
                throw new ArgumentException($"--at: expected name=value, got '{part}'.");
            if (!double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new ArgumentException($"--at: the value of {pair[0]} must be a finite number, got '{pair[1]}'.");
            if (!values.TryAdd(pair[0], value))
                throw new ArgumentException($"--at gives {pair[0]} twice.");
        }
        return values;
    }

    /// <summary>The <c>--json</c> document; NaN or infinity (log of a negative number, say) becomes null.</summary>
    private sealed record Json(string Expression, double? Value, IReadOnlyDictionary<string, double?> Gradients,
        IReadOnlyList<NodeJson> Nodes, string? Dot, string? Svg);

    private sealed record NodeJson(int Id, string Op, string Label, string Text, IReadOnlyList<int> Inputs, double? Value, double? Grad);

    private static Json ToJson(ExpressionGraph g, string? dot, string? svg) => new(
        g.Expression, Finite(g.Output.Value),
        g.Gradients.ToDictionary(kv => kv.Key, kv => Finite(kv.Value)),
        g.Nodes.Select(n => new NodeJson(n.Id, n.Op, n.Label, n.Text, n.Inputs, Finite(n.Value), Finite(n.Grad))).ToArray(),
        dot, svg);

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static void Describe(IAnsiConsole console, ExpressionGraph g, IReadOnlyDictionary<string, double> values, string? dot, string? svg)
    {
        string at = values.Count == 0 ? "" : "   at " + string.Join(", ", values.Select(kv => $"{kv.Key} = {F(kv.Value)}"));
        console.WriteLine($"y = {g.Expression}{at}");
        console.WriteLine();
        console.WriteLine("The computation graph, in the order Descent evaluates it. 'dy/d node' is the gradient");
        console.WriteLine("the tape sends back to each node: the sum, over every node that uses it, of that");
        console.WriteLine("node's gradient times the local derivative (the chain rule).");
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("node").AddColumn("op").AddColumn("inputs").AddColumn("expression")
            .AddColumn(new TableColumn("value").RightAligned()).AddColumn(new TableColumn("dy/d node").RightAligned());
        foreach (var n in g.Nodes)
            table.AddRow(Markup.Escape($"n{n.Id}"), Markup.Escape(n.Op == "var" || n.Op == "const" ? n.Op : n.Label),
                Markup.Escape(string.Join(", ", n.Inputs.Select(i => $"n{i}"))), Markup.Escape(n.Text), F(n.Value), F(n.Grad));
        console.Write(table);
        console.WriteLine($"y = {F(g.Output.Value)}");
        foreach (var (name, grad) in g.Gradients)
            console.WriteLine($"dy/d{name} = {F(grad)}");
        if (g.Nodes.Any(n => !double.IsFinite(n.Value) || !double.IsFinite(n.Grad)))
            console.WriteLine("Some values are not finite (NaN or infinity): an op was used outside its domain, e.g. log or sqrt of a negative number.");
        if (dot is not null)
            console.WriteLine($"DOT written to {dot}.");
        if (svg is not null)
            console.WriteLine($"SVG written to {svg}.");
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
