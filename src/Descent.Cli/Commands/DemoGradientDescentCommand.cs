using System.CommandLine;
using System.Globalization;
using Descent.Cli.Demos;
using Descent.Cli.Plots;
using Spectre.Console;

namespace Descent.Cli.Commands;

/// <summary><c>descent demo gradient-descent</c>: the article's example 1, step by step.</summary>
internal static class DemoGradientDescentCommand
{
    // Table rows: the first few steps, then every RowEvery-th, then the last.
    private const int FirstRows = 10;
    private const int RowEvery = 100;

    public static Command Create(CliContext cli)
    {
        var x0 = new Option<double>("--x0") { Description = "Starting x", DefaultValueFactory = _ => -10 };
        var lr = new Option<double>("--lr") { Description = "Learning rate (step size); above 1/3 it diverges", DefaultValueFactory = _ => 0.2 };
        var epochs = new Option<int>("--epochs") { Description = $"Number of updates, 0 to {GradientDescentDemo.MaxEpochs}", DefaultValueFactory = _ => 1000 };
        var plot = new Option<string?>("--plot") { Description = "Draw the parabola and the path of x into this PNG file", HelpName = "FILE.png" };

        var command = new Command("gradient-descent", "Minimise y = 3x² + 2x + 1 by gradient descent, as in the article's example 1")
        {
            x0, lr, epochs, plot,
        };
        command.SetAction(parseResult =>
        {
            var result = GradientDescentDemo.Run(parseResult.GetValue(x0), parseResult.GetValue(lr), parseResult.GetValue(epochs));
            string? plotPath = parseResult.GetValue(plot);
            if (plotPath is not null)
                PlotFile.SavePng(GradientDescentPlot.Create(result), plotPath);
            if (cli.IsJson(parseResult))
                cli.WriteJson(ToJson(result, plotPath));
            else
                Describe(cli.Console, result, plotPath);
            return 0;
        });
        return command;
    }

    /// <summary>The <c>--json</c> document; docs/cli.md describes each field.</summary>
    private sealed record Json(
        double X0, double Lr, int Epochs, int Iterations, string Regime, double Rate,
        bool Stopped, int? OverflowIteration, double FinalX, double FinalY, double? ArticleResult,
        double ExactMinX, double ExactMinY, string? Plot, IReadOnlyList<GradientDescentStep> History);

    private static Json ToJson(GradientDescentResult r, string? plotPath) => new(
        r.X0, r.LearningRate, r.Epochs, r.Iterations, r.Regime.ToString().ToLowerInvariant(), r.Rate,
        r.Stopped, r.OverflowIteration, r.FinalX, r.FinalY, r.ArticleResult,
        GradientDescentDemo.MinimumX, GradientDescentDemo.MinimumY, plotPath, r.History);

    private static void Describe(IAnsiConsole console, GradientDescentResult r, string? plotPath)
    {
        int n = r.Iterations;
        console.WriteLine("Gradient descent on y = 3x² + 2x + 1 (the article's example 1).");
        console.WriteLine();
        console.WriteLine("The slope is y' = 6x + 2. Each step moves x against the slope, by lr times it:");
        console.WriteLine($"    x ← x − lr·(6x + 2)      from x0 = {F(r.X0)}, lr = {F(r.LearningRate)}, {r.Epochs} steps");
        console.WriteLine("Since x − lr·(6x + 2) + 1/3 = (1 − 6·lr)·(x + 1/3), every step multiplies");
        console.WriteLine($"the distance to the minimum x = −1/3 by r = 1 − 6·lr = {r.Rate:G6}.");
        console.WriteLine(RegimeText(r));
        console.WriteLine();

        var steps = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("step i").RightAligned())
            .AddColumn(new TableColumn("x_i").RightAligned())
            .AddColumn(new TableColumn("y = f(x_i)").RightAligned())
            .AddColumn(new TableColumn("slope f'(x_i)").RightAligned());
        foreach (var s in r.History)
            if (s.Iteration < FirstRows || s.Iteration % RowEvery == 0 || s.Iteration == n)
                steps.AddRow(s.Iteration.ToString(CultureInfo.InvariantCulture), F(s.X), F(s.Y), F(s.Grad));
        console.Write(steps);
        console.WriteLine($"(Steps 0–{FirstRows - 1}, every {RowEvery}th and the last; --json lists them all.)");
        console.WriteLine();

        var summary = new Table().Border(TableBorder.Simple)
            .AddColumn("").AddColumn(new TableColumn("x").RightAligned()).AddColumn(new TableColumn("y").RightAligned());
        summary.AddRow($"final, x_{n}", F(r.FinalX), F(r.FinalY));
        summary.AddRow("exact minimum", "−1/3 ≈ " + F(GradientDescentDemo.MinimumX), "2/3 ≈ " + F(GradientDescentDemo.MinimumY));
        summary.AddRow("difference", F(r.FinalX - GradientDescentDemo.MinimumX), F(r.FinalY - GradientDescentDemo.MinimumY));
        console.Write(summary);

        if (r.ArticleResult is double article)
            DescribeArticleResult(console, r, article);
        if (plotPath is not null)
            console.WriteLine($"Plot written to {plotPath}.");
    }

    /// <summary>Why the article's <c>print(ls[-1])</c> is y before the last update, not the final y.</summary>
    private static void DescribeArticleResult(IAnsiConsole console, GradientDescentResult r, double article)
    {
        int n = r.Iterations;
        bool articleSettings = r.X0 == -10 && r.LearningRate == 0.2 && r.Epochs == 1000;
        console.WriteLine(articleSettings
            ? $"The article's print(ls[-1]) prints {F(article)}; its text rounds that to 0.67."
            : $"With these settings the article's print(ls[-1]) would print {F(article)}.");
        console.WriteLine("Its loop appends y to ls before it updates x, so ls[-1] is");
        console.WriteLine($"y_{n - 1} = f(x_{n - 1}), the y from before the last update, not f(x_{n}) = {F(r.FinalY)}.");
        console.WriteLine(article != r.FinalY ? $"The two differ by {F(r.FinalY - article)}."
            : r.History[^2].X == r.FinalX ? "Here they are the same double: x had stopped moving long before."
            : "Here they happen to be the same double.");
        if (r.Stopped)
            console.WriteLine("(The Python itself would fail about here: x ** 2 raises OverflowError once |x| passes ~1.34e154.)");
        console.WriteLine();
    }

    private static string RegimeText(GradientDescentResult r) => r.Regime switch
    {
        GradientDescentRegime.Converges => r.Rate < 0
            ? "As 1/6 < lr < 1/3, −1 < r < 0: x jumps across the minimum each step, landing\ncloser each time, and converges to −1/3."
            : "As 0 < lr ≤ 1/6, 0 ≤ r < 1: x slides towards the minimum from one side and\nconverges to −1/3.",
        GradientDescentRegime.Oscillates =>
            $"lr = 1/3 makes r = −1: x jumps between x0 = {F(r.X0)} and −2/3 − x0 = {F(-2.0 / 3 - r.X0)}\nforever and never converges. (In double, rounding nudges x a little each step,\nas the table shows, but it does not settle.)",
        GradientDescentRegime.Stalls => "lr = 0 makes r = 1: x never moves.",
        _ => $"lr = {F(r.LearningRate)} is {(r.LearningRate > 0 ? "above 1/3" : "below 0")}, so |r| = {Math.Abs(r.Rate):G6} > 1: every step multiplies\n"
            + "the distance to the minimum by that much, and the iteration DIVERGES.\n"
            + (r.OverflowIteration is int k
                ? $"Stopped after {r.Iterations} steps: step {k} would have pushed y past the largest\ndouble, to infinity. The values shown are the last finite ones."
                : $"After {r.Iterations} steps x is {F(r.FinalX)}; more steps would overflow to infinity."),
    };

    /// <summary>Shortest text that reads back as the same double.</summary>
    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
