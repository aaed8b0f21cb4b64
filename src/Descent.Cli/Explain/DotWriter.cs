using System.Globalization;
using System.Text;

namespace Descent.Cli.Explain;

/// <summary>The graph in Graphviz DOT, left to right, one record per node: label | value | gradient.</summary>
internal static class DotWriter
{
    public static string Write(ExpressionGraph graph)
    {
        var dot = new StringBuilder();
        dot.Append("digraph expression {\n");
        dot.Append($"  label=\"{Escape(graph.Expression)}\";\n  labelloc=t;\n  rankdir=LR;\n");
        dot.Append("  node [shape=record, fontname=\"Helvetica\"];\n");
        foreach (var n in graph.Nodes)
        {
            string fill = n.Op switch { "var" => "#dbeafe", "const" => "#f3f4f6", _ => "#fef3c7" };
            dot.Append($"  n{n.Id} [label=\"{{ {Escape(n.Label)} | value {G(n.Value)} | grad {G(n.Grad)} }}\", style=filled, fillcolor=\"{fill}\"];\n");
        }
        foreach (var n in graph.Nodes)
            foreach (int input in n.Inputs)
                dot.Append($"  n{input} -> n{n.Id};\n");
        dot.Append("}\n");
        return dot.ToString();
    }

    /// <summary>Characters that are syntax inside a quoted record label.</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder();
        foreach (char c in text)
        {
            if (c is '\\' or '"' or '{' or '}' or '|' or '<' or '>')
                sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
