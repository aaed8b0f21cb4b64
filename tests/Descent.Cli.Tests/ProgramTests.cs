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
}
