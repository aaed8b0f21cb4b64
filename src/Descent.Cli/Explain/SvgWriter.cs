using System.Globalization;
using System.Xml.Linq;

namespace Descent.Cli.Explain;

/// <summary>Draws the graph as SVG, in the manner of micrograd's draw_dot: one box per node with its
/// label, value and gradient, arrows from inputs to the node that uses them. No Graphviz needed.</summary>
internal static class SvgWriter
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private const double BoxWidth = 170, BoxHeight = 58, ColumnGap = 60, RowGap = 18, Margin = 20, TitleHeight = 34;

    public static XDocument Write(ExpressionGraph graph)
    {
        var place = GraphLayout.Place(graph.Nodes);
        double X(int id) => Margin + place[id].Column * (BoxWidth + ColumnGap);
        double Y(int id) => Margin + TitleHeight + place[id].Row * (BoxHeight + RowGap);
        double width = graph.Nodes.Max(n => X(n.Id)) + BoxWidth + Margin;
        double height = graph.Nodes.Max(n => Y(n.Id)) + BoxHeight + Margin;

        var root = new XElement(Svg + "svg",
            new XAttribute("width", N(width)), new XAttribute("height", N(height)),
            new XAttribute("viewBox", $"0 0 {N(width)} {N(height)}"),
            new XAttribute("font-family", "Helvetica, Arial, sans-serif"),
            new XElement(Svg + "defs",
                new XElement(Svg + "marker", new XAttribute("id", "arrow"), new XAttribute("viewBox", "0 0 10 10"),
                    new XAttribute("refX", "10"), new XAttribute("refY", "5"),
                    new XAttribute("markerWidth", "8"), new XAttribute("markerHeight", "8"), new XAttribute("orient", "auto"),
                    new XElement(Svg + "path", new XAttribute("d", "M0,0 L10,5 L0,10 z"), new XAttribute("fill", "#555")))),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            Text(Margin, Margin + 16, $"y = {graph.Expression}", 16, bold: true));

        foreach (var n in graph.Nodes)
            foreach (int input in n.Inputs)
            {
                double x1 = X(input) + BoxWidth, y1 = Y(input) + BoxHeight / 2, x2 = X(n.Id), y2 = Y(n.Id) + BoxHeight / 2;
                double mid = (x1 + x2) / 2;
                root.Add(new XElement(Svg + "path",
                    new XAttribute("d", $"M{N(x1)},{N(y1)} C{N(mid)},{N(y1)} {N(mid)},{N(y2)} {N(x2)},{N(y2)}"),
                    new XAttribute("fill", "none"), new XAttribute("stroke", "#555"), new XAttribute("stroke-width", "1.5"),
                    new XAttribute("marker-end", "url(#arrow)")));
            }

        foreach (var n in graph.Nodes)
        {
            double x = X(n.Id), y = Y(n.Id);
            string fill = n.Op switch { "var" => "#dbeafe", "const" => "#f3f4f6", _ => "#fef3c7" };
            string stroke = n.Id == graph.Output.Id ? "#b91c1c" : "#374151";
            root.Add(new XElement(Svg + "g", new XAttribute("id", $"n{n.Id}"),
                new XElement(Svg + "title", $"{n.Text}"),
                new XElement(Svg + "rect", new XAttribute("x", N(x)), new XAttribute("y", N(y)),
                    new XAttribute("width", N(BoxWidth)), new XAttribute("height", N(BoxHeight)), new XAttribute("rx", "6"),
                    new XAttribute("fill", fill), new XAttribute("stroke", stroke), new XAttribute("stroke-width", n.Id == graph.Output.Id ? "2.5" : "1.2")),
                Text(x + 8, y + 18, n.Label, 14, bold: true),
                Text(x + 8, y + 35, $"value {G(n.Value)}", 12, bold: false),
                Text(x + 8, y + 51, $"grad  {G(n.Grad)}", 12, bold: false)));
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement Text(double x, double y, string text, int size, bool bold) =>
        new(Svg + "text", new XAttribute("x", N(x)), new XAttribute("y", N(y)), new XAttribute("font-size", size),
            bold ? new XAttribute("font-weight", "bold") : null, new XAttribute(XNamespace.Xml + "space", "preserve"), text);

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
