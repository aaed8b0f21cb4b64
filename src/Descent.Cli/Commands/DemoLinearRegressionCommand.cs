using System.CommandLine;
using System.Globalization;
using Descent.Cli.Demos;
using Descent.Cli.Plots;
using Spectre.Console;

namespace Descent.Cli.Commands;

/// <summary><c>descent demo linear-regression</c>: the article's example 2, its TensorFlow program in Descent.</summary>
internal static class DemoLinearRegressionCommand
{
    /// <summary>About this many table rows, whatever the number of epochs.</summary>
    private const int Rows = 10;

    public static Command Create(CliContext cli)
    {
        var lr = new Option<double>("--lr") { Description = "Learning rate of SGD", DefaultValueFactory = _ => LinearRegressionDemo.DefaultLearningRate };
        var epochs = new Option<int>("--epochs") { Description = $"Number of epochs, 0 to {LinearRegressionDemo.MaxEpochs}", DefaultValueFactory = _ => LinearRegressionDemo.DefaultEpochs };
        var plot = new Option<string?>("--plot") { Description = "Draw the points, the fitted line and the least-squares line into this PNG file", HelpName = "FILE.png" };

        var command = new Command("linear-regression", "Fit y = a·X + b by SGD in float32, as the article's TensorFlow example 2")
        {
            lr, epochs, plot,
        };
        command.SetAction(parseResult =>
        {
            var result = LinearRegressionDemo.Run(parseResult.GetValue(lr), parseResult.GetValue(epochs));
            string? plotPath = parseResult.GetValue(plot);
            if (plotPath is not null)
                PlotFile.SavePng(LinearRegressionPlot.Create(result), plotPath);
            var rows = TableRows(result);
            if (cli.IsJson(parseResult))
                cli.WriteJson(ToJson(result, rows, plotPath));
            else
                Describe(cli.Console, result, rows, plotPath);
            return 0;
        });
        return command;
    }

    /// <summary>Every k-th epoch (k = epochs / 10, at least 1) and the final state.</summary>
    private static IReadOnlyList<LinearRegressionEpoch> TableRows(LinearRegressionResult r)
    {
        int every = Math.Max(1, r.Epochs / Rows);
        return r.History.Where((h, i) => h.Epoch % every == 0 || i == r.History.Count - 1).ToArray();
    }

    /// <summary>The <c>--json</c> document; docs/cli.md describes each field.</summary>
    private sealed record Json(double A, double B, double? Loss, int Epochs, double Lr, int EpochsRun, bool Diverges, int? StoppedEpoch,
        LeastSquaresJson LeastSquares, double MaxStableLr, IReadOnlyList<EpochJson> History, string? Plot);

    private sealed record LeastSquaresJson(double A, double B, double Loss);

    private sealed record EpochJson(int Epoch, double A, double B, double? Loss);

    private static Json ToJson(LinearRegressionResult r, IReadOnlyList<LinearRegressionEpoch> rows, string? plotPath) => new(
        r.A, r.B, Finite(r.Loss), r.Epochs, r.LearningRate, r.EpochsRun, LinearRegressionDemo.Diverges(r.LearningRate), r.StoppedEpoch,
        new LeastSquaresJson(r.LeastSquaresA, r.LeastSquaresB, r.LeastSquaresLoss), 2 / LinearRegressionDemo.Curvature().Max,
        rows.Select(h => new EpochJson(h.Epoch, h.A, h.B, Finite(h.Loss))).ToArray(), plotPath);

    private static double? Finite(float v) => float.IsFinite(v) ? v : null;

    private static void Describe(IAnsiConsole console, LinearRegressionResult r, IReadOnlyList<LinearRegressionEpoch> rows, string? plotPath)
    {
        console.WriteLine("Linear regression by gradient descent (the article's example 2), in float32:");
        console.WriteLine($"    X = [{string.Join(", ", LinearRegressionDemo.X.Select(F))}]");
        console.WriteLine($"    y = [{string.Join(", ", LinearRegressionDemo.Y.Select(F))}]");
        console.WriteLine("    a = b = 0;  each epoch, under a GradientTape:");
        console.WriteLine("        loss = Σ (a·X + b − y)²          (tf.reduce_sum(tf.square(y_pred − y)))");
        console.WriteLine("        a ← a − lr·∂loss/∂a,  b ← b − lr·∂loss/∂b");
        console.WriteLine($"    lr = {F(r.LearningRate)}, {r.Epochs} epochs");
        console.WriteLine();

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("epoch").RightAligned()).AddColumn(new TableColumn("a").RightAligned())
            .AddColumn(new TableColumn("b").RightAligned()).AddColumn(new TableColumn("loss").RightAligned());
        foreach (var h in rows)
            table.AddRow(h.Epoch.ToString(CultureInfo.InvariantCulture), F(h.A), F(h.B), F(h.Loss));
        console.Write(table);
        console.WriteLine("(Each row: a and b at the start of that epoch and the loss they give; the last row is after the last update.)");
        console.WriteLine();

        console.WriteLine($"print(a, b):  a = {F(r.A)},  b = {F(r.B)}   (loss {F(r.Loss)})");
        console.WriteLine($"least squares (closed form, double):  a = {F(r.LeastSquaresA)},  b = {F(r.LeastSquaresB)}   (loss {F(r.LeastSquaresLoss)})");
        console.WriteLine();
        var (min, max) = LinearRegressionDemo.Curvature();
        console.WriteLine($"The loss is a quadratic bowl whose curvatures (its Hessian's eigenvalues) are λmin = {min:G6} and");
        console.WriteLine($"λmax = {max:G6}. Each epoch multiplies the remaining error along those two directions by");
        console.WriteLine($"1 − lr·λmin = {1 - r.LearningRate * min:G6} and 1 − lr·λmax = {1 - r.LearningRate * max:G6}.");
        if (LinearRegressionDemo.Diverges(r.LearningRate))
        {
            console.WriteLine($"DIVERGES: lr = {F(r.LearningRate)} is above 2/λmax = {F(2 / max)}, so |1 − lr·λmax| > 1 and the error grows every epoch.");
            if (r.StoppedEpoch is int stopped)
                console.WriteLine($"Stopped at epoch {stopped}, where float32 overflowed; the values shown are the last finite ones.");
        }
        else if (r.Loss - r.LeastSquaresLoss <= 1e-5 * Math.Max(1, r.LeastSquaresLoss))
            console.WriteLine("After these epochs a and b are the least-squares line, to float32 precision: the run has converged.");
        else
        {
            double left = Math.Pow(Math.Abs(1 - r.LearningRate * min), r.EpochsRun) * 100;
            console.WriteLine($"This is far from converged: after {r.EpochsRun} epochs at lr = {F(r.LearningRate)} about {left:G3}% of the error along the");
            console.WriteLine("flattest direction is still there, and a, b are far from the least-squares line. Try --epochs 50000,");
            console.WriteLine($"or a larger rate such as --lr 0.1 --epochs 1000; above lr = 2/λmax = {2 / max:G6} it diverges.");
        }
        if (plotPath is not null)
            console.WriteLine($"Plot written to {plotPath}.");
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
