using System.CommandLine;
using System.Globalization;
using Descent.Cli.Demos;
using Spectre.Console;

namespace Descent.Cli.Commands;

/// <summary><c>descent demo backprop</c>: the article's example 3, every number of backpropagation shown.</summary>
internal static class DemoBackpropCommand
{
    /// <summary>Up to this many loss rows; longer runs show every k-th step.</summary>
    private const int Rows = 20;

    public static Command Create(CliContext cli)
    {
        var steps = new Option<int>("--steps") { Description = $"Gradient-descent steps to run, 1 to {BackpropDemo.MaxSteps}", DefaultValueFactory = _ => 1 };
        var command = new Command("backprop", "Backpropagation through the article's 1-2-1 sigmoid network (example 3), every derivative shown")
        {
            steps,
        };
        command.SetAction(parseResult =>
        {
            var result = BackpropDemo.Run(parseResult.GetValue(steps));
            if (cli.IsJson(parseResult))
                cli.WriteJson(ToJson(result));
            else
                Describe(cli.Console, result);
            return 0;
        });
        return command;
    }

    /// <summary>The <c>--json</c> document; docs/cli.md describes each field.</summary>
    private sealed record Json(ForwardJson Forward, IReadOnlyDictionary<string, double> Gradients,
        IReadOnlyDictionary<string, double> ChainRule, IReadOnlyDictionary<string, double> Updated, double Lr, int Steps,
        IReadOnlyDictionary<string, double> Final, IReadOnlyList<BackpropStep> History, IReadOnlyList<ArticleJson> Article);

    private sealed record ForwardJson(double Z1, double H1, double Z2, double H2, double YTemp, double YPred, double Loss);

    private sealed record ArticleJson(string Quantity, double Article, double Exact, string Verdict);

    private static Json ToJson(BackpropResult r)
    {
        var f = r.Forward;
        return new Json(
            new ForwardJson(f.Z1, f.H1, f.Z2, f.H2, f.YTemp, f.YPred, f.Loss),
            r.Chains.ToDictionary(c => c.Parameter, c => c.Autodiff),
            r.Chains.ToDictionary(c => c.Parameter, c => c.ChainRule),
            r.Chains.ToDictionary(c => c.Parameter, c => c.Updated),
            BackpropDemo.LearningRate, r.History.Count - 1, r.Final, r.History,
            r.Article.Select(a => new ArticleJson(a.Quantity, a.Article, a.Exact, a.Verdict)).ToArray());
    }

    private static void Describe(IAnsiConsole console, BackpropResult r)
    {
        var f = r.Forward;
        console.WriteLine("Backpropagation through the article's network (example 3): x → two sigmoid hidden units → one sigmoid output.");
        console.WriteLine($"x = {F(BackpropDemo.X)}, y_true = {F(BackpropDemo.YTrue)}, α = {F(BackpropDemo.LearningRate)};  "
            + string.Join(", ", BackpropDemo.Initial.Select(p => $"{p.Name} = {F(p.Value)}")) + "  (b1 is shared by both hidden units)");
        console.WriteLine("σ(z) = 1/(1 + e^−z), σ'(z) = σ(z)·(1 − σ(z));  E = ½(y_true − y_pred)².  Float64 Variables under a GradientTape.");
        console.WriteLine();
        console.WriteLine("Forward pass");
        console.WriteLine($"  z1     = x·w11 + b1            = 2·1 + 3           = {F(f.Z1)}");
        console.WriteLine($"  h1     = σ(z1)                                      = {F(f.H1)}");
        console.WriteLine($"  z2     = x·w12 + b1            = 2·(−1) + 3        = {F(f.Z2)}");
        console.WriteLine($"  h2     = σ(z2)                                      = {F(f.H2)}");
        console.WriteLine($"  y_temp = h1·w21 + h2·w22 + b2                       = {F(f.YTemp)}");
        console.WriteLine($"  y_pred = σ(y_temp)                                  = {F(f.YPred)}");
        console.WriteLine($"  E      = ½(y_true − y_pred)²                        = {F(f.Loss)}");
        console.WriteLine();
        console.WriteLine("Backward pass: for each parameter, the chain rule by hand beside the tape's gradient,");
        console.WriteLine($"and one gradient-descent step  p' = p − α·∂E/∂p.");
        foreach (var c in r.Chains)
            DescribeChain(console, c);
        console.WriteLine();
        DescribeHistory(console, r);
        console.WriteLine();
        DescribeArticle(console, r);
    }

    private static void DescribeChain(IAnsiConsole console, BackpropChain c)
    {
        console.WriteLine();
        string lhs = $"  ∂E/∂{c.Parameter}";
        string pad = new(' ', lhs.Length);
        bool several = c.Paths.Count > 1;
        if (several)
            console.WriteLine($"{lhs}: {c.Parameter} feeds both hidden units, so its gradient is the sum of two paths.");
        for (int i = 0; i < c.Paths.Count; i++)
        {
            var path = c.Paths[i];
            string head = several ? $"{pad}  via {path.Via}: " : $"{lhs} = ";
            string indent = new(' ', head.Length - 2);
            console.WriteLine(head + string.Join(" · ", path.Factors.Select(x => x.Symbol)));
            console.WriteLine($"{indent}= " + string.Join(" · ", path.Factors.Select(x => Paren(x.Formula))));
            console.WriteLine($"{indent}= " + string.Join(" · ", path.Factors.Select(x => Paren(F(x.Value)))));
            console.WriteLine($"{indent}= {F(path.Product)}");
        }
        // Notes start under the "=" of a single path, or under "via" of several.
        string note = several ? pad + "  " : new string(' ', lhs.Length + 1);
        if (several)
            console.WriteLine($"{pad}  sum: " + string.Join(" + ", c.Paths.Select(p => Paren(F(p.Product)))) + $" = {F(c.ChainRule)}");
        double diff = Math.Abs(c.ChainRule - c.Autodiff);
        console.WriteLine($"{note}autodiff (tape.Gradient): {F(c.Autodiff)}   "
            + (c.Agrees ? $"agrees: |difference| = {diff:G3} ≤ {BackpropDemo.Tolerance:G0}" : $"DISAGREES by {diff:G3}"));
        console.WriteLine($"{note}update: {c.Parameter}' = {c.Parameter} − α·∂E/∂{c.Parameter} = {F(c.Value)} − {F(BackpropDemo.LearningRate)}·{Paren(F(c.Autodiff))} = {F(c.Updated)}");
    }

    private static void DescribeHistory(IAnsiConsole console, BackpropResult r)
    {
        int steps = r.History.Count - 1;
        console.WriteLine($"The loss over {steps} gradient-descent step{(steps == 1 ? "" : "s")} (α = {F(BackpropDemo.LearningRate)}; --steps N for more):");
        int every = Math.Max(1, steps / Rows);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("step").RightAligned()).AddColumn(new TableColumn("E").RightAligned())
            .AddColumn(new TableColumn("y_pred").RightAligned());
        foreach (var s in r.History)
            if (s.Step % every == 0 || s.Step == steps)
                table.AddRow(s.Step.ToString(CultureInfo.InvariantCulture), F(s.Loss), F(s.YPred));
        console.Write(table);
        if (steps > 1)
            console.WriteLine("After all steps: " + string.Join(", ", r.Final.Select(kv => $"{kv.Key} = {F(kv.Value)}")));
    }

    private static void DescribeArticle(IAnsiConsole console, BackpropResult r)
    {
        console.WriteLine("What the article writes, against the exact values:");
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("quantity").AddColumn(new TableColumn("article").RightAligned())
            .AddColumn(new TableColumn("exact").RightAligned()).AddColumn("verdict");
        foreach (var a in r.Article)
            table.AddRow(Markup.Escape(a.Quantity), F(a.Article), F(a.Exact), Markup.Escape(a.Verdict));
        console.Write(table);
        console.WriteLine("The article's formulas (∂E/∂y_pred = y_pred − y_true, σ' = eˣ/(e²ˣ + 2eˣ + 1) = σ(1 − σ), the chain rule) are right;");
        console.WriteLine("its numbers are rounded early, and its update goes the wrong way: a negative gradient means E falls as w21 grows.");
    }

    private static string Paren(string s) => s.StartsWith('-') || s.Contains(' ') ? $"({s})" : s;

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
