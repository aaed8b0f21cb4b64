using Descent.Nn.Models;
using Descent.Nn.Tests.Helpers;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Models;

[OnEveryDevice]
public class ProgressTests
{
    private static (Sequential Model, TestConsole Console) Setup()
    {
        var console = new TestConsole();
        var model = new Sequential([new TestDense(2, "tanh"), new TestDense(1)], inputShape: [3], seed: 1) { Output = console.Writer };
        model.Compile(new SGD(0.05), new MseLoss(), [new AccuracyMetric()]);
        return (model, console);
    }

    [Theory]
    [InlineData(1)] // the test console is not a terminal, as with redirected output or CI
    [InlineData(2)]
    public void Verbose_1_redirected_and_verbose_2_write_one_line_per_epoch(int verbose)
    {
        var (model, console) = Setup();
        var (x, y) = Xor.Linear(rows: 40);

        model.Fit(x, y, epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: verbose);

        string[] lines = console.Lines;
        Assert.Equal(3, lines.Length);
        for (int e = 0; e < 3; e++)
        {
            Assert.StartsWith($"Epoch {e + 1}/3 - 2/2 - ", lines[e]);
            Assert.Contains(" - loss: ", lines[e]);
            Assert.Contains(" - accuracy: ", lines[e]);
            Assert.Contains(" - val_loss: ", lines[e]);
            Assert.Contains("/step", lines[e]);
        }
    }

    [Fact]
    public void Verbose_0_writes_nothing()
    {
        var (model, console) = Setup();
        var (x, y) = Xor.Linear(rows: 40);
        model.Fit(x, y, epochs: 2, verbose: 0);
        model.Evaluate(x, y, verbose: 0);
        Assert.Equal("", console.Text);
    }

    [Fact]
    public void Evaluate_with_verbose_writes_one_line()
    {
        var (model, console) = Setup();
        var (x, y) = Xor.Linear(rows: 40);
        var result = model.Evaluate(x, y, batchSize: 16, verbose: 1);
        Assert.Single(console.Lines);
        Assert.StartsWith("3/3 - ", console.Lines[0]);
        Assert.Contains($"loss: {result["loss"]:0.0000}", console.Lines[0]);
    }

    [Fact]
    public void Live_progress_on_an_interactive_console_renders_steps_and_metrics()
    {
        var console = new TestConsole(terminal: true);
        // The public Output is a TextWriter, and only the process's own stdout on a terminal gets the live bar; this
        // seam hands Fit a console that claims to be one.
        var model = new Sequential([new TestDense(1)], inputShape: [3], seed: 1) { ProgressConsole = console.Console };
        model.Compile(new SGD(0.05), new MseLoss());
        var (x, y) = Xor.Linear(rows: 40);
        model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 1);
        Assert.Contains("Epoch 1/2", console.Text);
        Assert.Contains("\u001b[", console.Text); // drawn live with ANSI, not as plain lines
        Assert.Contains("3/3", console.Text);
        Assert.Contains("loss: ", console.Text);
    }
}
