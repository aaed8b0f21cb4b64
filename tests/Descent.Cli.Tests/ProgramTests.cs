namespace Descent.Cli.Tests;

public class ProgramTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("demo", "--help")]
    [InlineData("demo", "gradient-descent", "--help")]
    public void Help_prints_usage_and_succeeds(params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:\n  descent", run.Out.ReplaceLineEndings("\n"));
        Assert.Equal("", run.Err);
    }

    [Fact]
    public void Command_help_lists_its_options_and_json()
    {
        var run = CliRun.Of("demo", "gradient-descent", "--help");
        foreach (string option in new[] { "--x0", "--lr", "--epochs", "--plot", "--json" })
            Assert.Contains(option, run.Out);
    }

    [Theory]
    [InlineData]
    [InlineData("no-such-command")]
    [InlineData("demo", "gradient-descent", "--no-such-option")]
    [InlineData("demo", "linear-regression", "--epochs", "many")]
    [InlineData("explain")]
    public void Command_line_errors_exit_with_two(params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("descent: ", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Json_option_also_works_before_the_command()
    {
        var run = CliRun.Of("--json", "demo", "gradient-descent", "--epochs", "1");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("{", run.Out);
    }

    [Fact]
    public void Runtime_errors_exit_with_two_and_no_stack_trace()
    {
        var run = CliRun.Of("demo", "gradient-descent", "--epochs", "-1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("descent: epochs must be between 0 and 1000000, got -1.", run.Err.TrimEnd());
        Assert.DoesNotContain(" at ", run.Err);
    }

    [Theory]
    [InlineData("--verbose", "demo", "gradient-descent", "--epochs", "-1")]
    [InlineData("demo", "gradient-descent", "--epochs", "-1", "--verbose")]
    public void Verbose_adds_the_stack_trace_before_or_after_the_command(params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        string[] lines = run.Err.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("descent: epochs must be between 0 and 1000000, got -1.", lines[0]);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("at Descent.Cli.Demos.GradientDescentDemo.Run", StringComparison.Ordinal));
    }

    [Fact]
    public void Verbose_is_listed_in_help()
    {
        Assert.Contains("--verbose", CliRun.Of("demo", "backprop", "--help").Out);
    }
}
