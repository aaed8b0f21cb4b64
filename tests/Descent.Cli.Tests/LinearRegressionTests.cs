using System.Text.Json;
using Descent.Cli.Demos;

namespace Descent.Cli.Tests;

public class LinearRegressionTests
{
    private static readonly string[] Demo = ["demo", "linear-regression"];

    private static JsonElement Fixture()
    {
        // Made by tests/Descent.Tests/Fixtures/linear_regression_float32.py (NumPy, float32 by hand).
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "linear_regression_float32.json")));
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Hundred_epochs_match_the_numpy_reference_bit_for_bit()
    {
        var fixture = Fixture();
        var r = LinearRegressionDemo.Run();
        Assert.Equal(fixture.GetProperty("a_bits").GetUInt32(), BitConverter.SingleToUInt32Bits(r.A));
        Assert.Equal(fixture.GetProperty("b_bits").GetUInt32(), BitConverter.SingleToUInt32Bits(r.B));
        Assert.Equal((float)fixture.GetProperty("first_loss").GetDouble(), r.History[0].Loss);
        Assert.Equal((float)fixture.GetProperty("last_loss").GetDouble(), r.History[99].Loss);
        Assert.Equal(101, r.History.Count);
    }

    [Fact]
    public void Json_a_and_b_are_the_fixture_values()
    {
        var fixture = Fixture();
        var json = CliRun.Json(Demo);
        Assert.Equal(fixture.GetProperty("a").GetDouble(), json.GetProperty("a").GetDouble());
        Assert.Equal(fixture.GetProperty("b").GetDouble(), json.GetProperty("b").GetDouble());
        Assert.Equal(100, json.GetProperty("epochs").GetInt32());
        Assert.Equal(5e-4, json.GetProperty("lr").GetDouble());
        Assert.False(json.GetProperty("diverges").GetBoolean());
        var history = json.GetProperty("history");
        Assert.Equal(11, history.GetArrayLength()); // epochs 0, 10, …, 90 and the final state
        Assert.Equal(fixture.GetProperty("first_loss").GetDouble(), history[0].GetProperty("loss").GetDouble());
        Assert.Equal(100, history[10].GetProperty("epoch").GetInt32());
        // The final loss is that of the final a and b, which is below the last epoch's loss.
        Assert.True(json.GetProperty("loss").GetDouble() < fixture.GetProperty("last_loss").GetDouble());
    }

    [Fact]
    public void Least_squares_line_is_the_closed_form()
    {
        // Through the means: a = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², b = ȳ − a·x̄ (a different form of the
        // normal equations than the demo's, so a slip in either shows).
        double[] x = [0, 0.25, 0.5, 0.74, 1], y = [0, 0.36, 0.54, 0.82, 1];
        double mx = x.Average(), my = y.Average();
        double a = x.Zip(y, (u, v) => (u - mx) * (v - my)).Sum() / x.Sum(u => (u - mx) * (u - mx));
        double b = my - a * mx;
        var ls = CliRun.Json(Demo).GetProperty("least_squares");
        Assert.Equal(a, ls.GetProperty("a").GetDouble(), 1e-14);
        Assert.Equal(b, ls.GetProperty("b").GetDouble(), 1e-14);
        Assert.Equal(x.Zip(y, (u, v) => (a * u + b - v) * (a * u + b - v)).Sum(), ls.GetProperty("loss").GetDouble(), 1e-14);
    }

    [Fact]
    public void Many_epochs_reach_the_least_squares_line()
    {
        var json = CliRun.Json([.. Demo, "--lr", "0.1", "--epochs", "2000"]);
        var ls = json.GetProperty("least_squares");
        Assert.Equal(ls.GetProperty("a").GetDouble(), json.GetProperty("a").GetDouble(), 1e-5);
        Assert.Equal(ls.GetProperty("b").GetDouble(), json.GetProperty("b").GetDouble(), 1e-5);
    }

    [Fact]
    public void Too_large_a_rate_diverges_and_stops_with_finite_json()
    {
        var json = CliRun.Json([.. Demo, "--lr", "0.2", "--epochs", "5000"]);
        Assert.True(json.GetProperty("diverges").GetBoolean());
        int stopped = json.GetProperty("stopped_epoch").GetInt32();
        Assert.InRange(stopped, 1, 4999);
        Assert.Equal(stopped, json.GetProperty("epochs_run").GetInt32());
        Assert.True(double.IsFinite(json.GetProperty("a").GetDouble()));
    }

    [Fact]
    public void Human_output_has_table_note_and_least_squares()
    {
        var run = CliRun.Of(Demo);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("a = 0.15417771,  b = 0.19696039", run.Out);
        Assert.Contains("far from converged", run.Out);
        Assert.Contains("least squares", run.Out);
        Assert.Contains("     90 ", run.Out); // the every-10-epochs table
    }

    [Theory]
    [InlineData("--epochs", "-1")]
    [InlineData("--lr", "-0.1")]
    [InlineData("--lr", "NaN")]
    public void Bad_options_exit_two_with_one_line(string option, string value)
    {
        var run = CliRun.Of([.. Demo, option, value]);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("descent: ", Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Plot_is_a_readable_png()
    {
        string path = Path.Combine(Path.GetTempPath(), $"descent-lr-{Guid.NewGuid():N}.png");
        try
        {
            Assert.Equal(path, CliRun.Json([.. Demo, "--plot", path]).GetProperty("plot").GetString());
            Png.AssertReadable(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
