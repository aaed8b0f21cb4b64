using System.Text.Json;

namespace Descent.Cli.Tests;

public class DemoGradientDescentCommandTests
{
    private static readonly string[] Demo = ["demo", "gradient-descent"];

    [Fact]
    public void Article_settings_converge_to_minus_one_third()
    {
        var json = CliRun.Json(Demo);
        Assert.Equal(1000, json.GetProperty("iterations").GetInt32());
        Assert.Equal(1001, json.GetProperty("history").GetArrayLength());
        // r^1000 = 0.2^1000 underflows, so the closed form is -1/3 exactly (in double).
        Assert.Equal(-1.0 / 3, json.GetProperty("final_x").GetDouble(), 1e-15);
        Assert.Equal(2.0 / 3, json.GetProperty("final_y").GetDouble(), 1e-15);
        Assert.Equal("converges", json.GetProperty("regime").GetString());
        Assert.False(json.GetProperty("stopped").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("overflow_iteration").ValueKind);
    }

    [Fact]
    public void Article_result_is_y_before_the_last_update()
    {
        var json = CliRun.Json([.. Demo, "--epochs", "3"]);
        var history = json.GetProperty("history");
        Assert.Equal(history[2].GetProperty("y").GetDouble(), json.GetProperty("article_result").GetDouble());
        Assert.Equal(history[3].GetProperty("y").GetDouble(), json.GetProperty("final_y").GetDouble());
        // Python: x = -10; x = x - (6*x+2)*0.2 three times.
        double x = -10;
        for (int i = 0; i < 3; i++)
            x = x - (6 * x + 2) * 0.2;
        Assert.Equal(x, json.GetProperty("final_x").GetDouble());
    }

    [Theory]
    [InlineData(-10, 0.2, 7)]
    [InlineData(2.5, 0.1, 20)]
    public void Final_x_is_the_closed_form_within_a_few_ulps(double x0, double lr, int epochs)
    {
        var json = CliRun.Json([.. Demo, "--x0", $"{x0:R}", "--lr", $"{lr:R}", "--epochs", $"{epochs}"]);
        double distance = (x0 + 1.0 / 3) * Math.Pow(1 - 6 * lr, epochs);
        double closed = -1.0 / 3 + distance;
        double ulp = Math.BitIncrement(Math.Max(Math.Abs(distance), 1.0 / 3)) - Math.Max(Math.Abs(distance), 1.0 / 3);
        Assert.InRange(json.GetProperty("final_x").GetDouble(), closed - 8 * ulp, closed + 8 * ulp);
    }

    [Fact]
    public void Json_numbers_round_trip_exactly()
    {
        var json = CliRun.Json([.. Demo, "--epochs", "1"]);
        Assert.Equal(-10 - (6 * -10.0 + 2) * 0.2, json.GetProperty("final_x").GetDouble());
        Assert.Equal(0.2, json.GetProperty("lr").GetDouble());
    }

    [Fact]
    public void Diverging_lr_is_reported_with_exit_code_zero_and_finite_json()
    {
        var json = CliRun.Json([.. Demo, "--lr", "0.5"]);
        Assert.Equal("diverges", json.GetProperty("regime").GetString());
        Assert.True(json.GetProperty("stopped").GetBoolean());
        int iterations = json.GetProperty("iterations").GetInt32();
        Assert.True(iterations < 1000);
        Assert.Equal(iterations + 1, json.GetProperty("overflow_iteration").GetInt32());
        Assert.Equal(iterations + 1, json.GetProperty("history").GetArrayLength());
        Assert.True(Math.Abs(json.GetProperty("final_x").GetDouble()) > 1e150);
    }

    [Fact]
    public void Diverging_lr_says_so_in_human_output()
    {
        var run = CliRun.Of([.. Demo, "--lr", "0.5"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("DIVERGES", run.Out);
        Assert.Contains("Stopped after", run.Out);
    }

    [Fact]
    public void Lr_one_third_is_called_an_oscillation()
    {
        var run = CliRun.Of([.. Demo, "--lr", "0.33333333333333333"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("never converges", run.Out);
    }

    [Fact]
    public void Human_output_shows_table_comparison_and_article_result()
    {
        var run = CliRun.Of(Demo);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        Assert.Contains("x ← x − lr·(6x + 2)", run.Out);
        Assert.Contains("1.6000000000000014", run.Out); // x_1 in the table
        Assert.Contains("exact minimum", run.Out);
        Assert.Contains("print(ls[-1])", run.Out);
        Assert.DoesNotContain("\u001b[", run.Out); // no ANSI codes when not a terminal
    }

    [Theory]
    [InlineData("--epochs", "-5")]
    [InlineData("--epochs", "2000000")]
    [InlineData("--lr", "abc")]
    [InlineData("--x0", "1e300")]
    public void Bad_option_gives_exit_two_and_one_line_on_stderr(string option, string value)
    {
        var run = CliRun.Of([.. Demo, option, value, "--json"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        string line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("descent: ", line);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [Fact]
    public void Plot_writes_a_png()
    {
        string dir = Directory.CreateTempSubdirectory("descent-cli-").FullName;
        try
        {
            string path = Path.Combine(dir, "gd.png");
            var json = CliRun.Json([.. Demo, "--plot", path]);
            Assert.Equal(path, json.GetProperty("plot").GetString());
            Png.AssertReadable(path);
            Assert.Equal([path], Directory.GetFiles(dir)); // the temporary file was renamed away
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Diverging_plot_still_writes_a_png()
    {
        string path = Path.Combine(Path.GetTempPath(), $"descent-cli-{Guid.NewGuid():N}.png");
        try
        {
            Assert.Equal(0, CliRun.Of([.. Demo, "--lr", "0.5", "--plot", path]).ExitCode);
            Png.AssertReadable(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Plot_into_missing_directory_is_one_line_error()
    {
        var run = CliRun.Of([.. Demo, "--plot", Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}", "a.png")]);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("descent: Cannot write plot", run.Err);
        Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
