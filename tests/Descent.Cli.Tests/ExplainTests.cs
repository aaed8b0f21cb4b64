using System.Text.Json;
using System.Xml.Linq;
using Descent.Cli.Explain;

namespace Descent.Cli.Tests;

public class ExplainTests
{
    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Grad(JsonElement json, string name) => json.GetProperty("gradients").GetProperty(name).GetDouble();

    [Fact]
    public void Sigmoid_neuron_gradients_are_the_hand_derived_ones()
    {
        var json = CliRun.Json("explain", "sigmoid(w*x + b)", "--at", "w=1,x=2,b=3");
        double s = Sigmoid(5), ds = s * (1 - s);
        Assert.Equal(s, json.GetProperty("value").GetDouble(), 1e-15);
        Assert.Equal(ds * 2, Grad(json, "w"), 1e-15); // x
        Assert.Equal(ds * 1, Grad(json, "x"), 1e-15); // w
        Assert.Equal(ds, Grad(json, "b"), 1e-15);
        var nodes = json.GetProperty("nodes");
        Assert.Equal(6, nodes.GetArrayLength()); // w, x, w*x, b, +, sigmoid
        var sum = nodes[4];
        Assert.Equal("+", sum.GetProperty("op").GetString());
        Assert.Equal([2, 3], sum.GetProperty("inputs").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(5, sum.GetProperty("value").GetDouble());
        Assert.Equal(ds, sum.GetProperty("grad").GetDouble(), 1e-15); // d output / d (w*x + b)
        Assert.Equal(1, nodes[5].GetProperty("grad").GetDouble());
        Assert.Equal("w*x + b", sum.GetProperty("text").GetString());
    }

    [Fact]
    public void A_name_used_twice_is_one_node_whose_gradient_sums_its_uses()
    {
        // y = x·x + x³ − 2/x + tanh(x·y): dy/dx = 2x + 3x² + 2/x² + y·(1 − tanh²(xy)), dy/dy = x·(1 − tanh²(xy)).
        var json = CliRun.Json("explain", "x*x + x^3 - 2/x + tanh(x*y)", "--at", "x=2,y=0.5");
        double t = Math.Tanh(1);
        Assert.Equal(4 + 8 - 1 + t, json.GetProperty("value").GetDouble(), 1e-14);
        Assert.Equal(4 + 12 + 0.5 + 0.5 * (1 - t * t), Grad(json, "x"), 1e-13);
        Assert.Equal(2 * (1 - t * t), Grad(json, "y"), 1e-14);
        Assert.Single(json.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("label").GetString() == "x");
    }

    [Theory]
    [InlineData("-x^2", 3, -6)]             // unary minus binds looser than ^
    [InlineData("2^x", 3, 8 * 0.69314718055994531)]
    [InlineData("exp(log(x))", 3, 1)]
    [InlineData("sqrt(square(x))", 3, 1)]
    [InlineData("relu(-x) + abs(x)", 3, 1)]
    [InlineData("sin(x)*cos(x)", 3, 0.96017028665036602)]  // cos 2x = cos 6
    [InlineData("(x - 1) / (x + 1)", 3, 0.125)]         // 2/(x+1)²
    [InlineData("x^-1", 2, -0.25)]
    [InlineData("2^3^2 + 0*x", 1, 0)]                  // right-associative: value 512 checked below
    public void Derivatives_of_each_function_and_operator(string expression, double x, double expected)
    {
        var json = CliRun.Json("explain", expression, "--at", $"x={x:R}");
        Assert.Equal(expected, Grad(json, "x"), 1e-12);
        if (expression.StartsWith("2^3^2"))
            Assert.Equal(512, json.GetProperty("value").GetDouble());
    }

    [Theory]
    [InlineData("sigmoid(w*x + b", 16, "expected ')'")]
    [InlineData("w*x + ", 7, "ends too early")]
    [InlineData("2x", 2, "unexpected 'x'")]
    [InlineData("w * * x", 5, "unexpected '*'")]
    [InlineData("2**3", 2, "'**' is Python's power; here a power is written with ^, as in 2^3")]
    [InlineData("x ** 2", 3, "written with ^")]
    [InlineData("foo(x)", 1, "unknown function 'foo'")]
    [InlineData("exp + 1", 1, "'exp' is a function")]
    [InlineData("(x))", 4, "unmatched ')'")]
    [InlineData("x # 2", 3, "unexpected '#'")]
    [InlineData("", 1, "ends too early")]
    public void Parse_errors_name_the_column_and_point_at_it(string expression, int column, string problem)
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(expression));
        Assert.Equal(column, e.Column);
        Assert.Contains(problem, e.Message);

        var run = CliRun.Of("explain", expression, "--at", "x=1,w=1,b=1");
        Assert.Equal(2, run.ExitCode);
        string[] lines = run.Err.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"descent: cannot parse expression at column {column}: ", lines[0][..(lines[0].IndexOf(':', 9) + 2)]);
        Assert.Equal(3, lines.Length);
        Assert.Equal("  " + expression, lines[1]);
        Assert.Equal(new string(' ', column + 1) + "^", lines[2]);
    }

    [Theory]
    [InlineData("w*x", "w=1", "x has no value")]
    [InlineData("w*x", "w=1,x=2,z=3", "z, which is not in the expression")]
    [InlineData("w*x", "w=1,x=abc", "must be a finite number")]
    [InlineData("w*x", "w=1,w=2,x=1", "gives w twice")]
    [InlineData("w*x", "w1,x=1", "expected name=value")]
    public void Bad_values_exit_two_with_one_line(string expression, string at, string message)
    {
        var run = CliRun.Of("explain", expression, "--at", at);
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line);
    }

    [Fact]
    public void Out_of_domain_values_are_null_in_json()
    {
        var json = CliRun.Json("explain", "log(x)", "--at", "x=-1");
        Assert.Equal(JsonValueKind.Null, json.GetProperty("value").ValueKind);
    }

    [Fact]
    public void Dot_and_svg_files_are_well_formed()
    {
        string dir = Directory.CreateTempSubdirectory("descent-explain-").FullName;
        try
        {
            string dot = Path.Combine(dir, "g.dot"), svg = Path.Combine(dir, "g.svg");
            var json = CliRun.Json("explain", "sigmoid(w*x + b) * w", "--at", "w=1,x=2,b=3", "--dot", dot, "--svg", svg);
            Assert.Equal(dot, json.GetProperty("dot").GetString());

            string dotText = File.ReadAllText(dot);
            Assert.StartsWith("digraph expression {", dotText);
            Assert.EndsWith("}\n", dotText);
            Assert.Equal(json.GetProperty("nodes").GetArrayLength(), dotText.Split('\n').Count(l => l.Contains("[label=")));
            Assert.Equal(dotText.Count(c => c == '{'), dotText.Count(c => c == '}'));
            Assert.Contains("n0 -> n2;", dotText);
            Assert.Contains("n0 -> n6;", dotText); // w used again at the end: one node, two edges out

            XNamespace ns = "http://www.w3.org/2000/svg";
            var doc = XDocument.Load(svg);
            Assert.Equal(ns + "svg", doc.Root!.Name);
            var boxes = doc.Root.Elements(ns + "g").ToArray();
            Assert.Equal(json.GetProperty("nodes").GetArrayLength(), boxes.Length);
            int edges = json.GetProperty("nodes").EnumerateArray().Sum(n => n.GetProperty("inputs").GetArrayLength());
            Assert.Equal(edges, doc.Root.Elements(ns + "path").Count());
            Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "sigmoid");
            // No two boxes overlap.
            var rects = boxes.Select(g => g.Element(ns + "rect")!).Select(r => (X: (double)r.Attribute("x")!, Y: (double)r.Attribute("y")!)).ToArray();
            Assert.Equal(rects.Length, rects.Distinct().Count());
            Assert.Equal([dot, svg], Directory.GetFiles(dir).Order());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Human_output_has_the_graph_table_and_gradients()
    {
        var run = CliRun.Of("explain", "sigmoid(w*x + b)", "--at", "w=1,x=2,b=3");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("dy/d node", run.Out);
        Assert.Contains("sigmoid(w*x + b)", run.Out);
        Assert.Contains($"dy/dw = {2 * Sigmoid(5) * (1 - Sigmoid(5)):R}", run.Out);
    }
}
