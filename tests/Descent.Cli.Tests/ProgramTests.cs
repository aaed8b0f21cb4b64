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

    [Theory]
    [InlineData(new string[0], new[] { "demo", "explain", "train", "predict", "bench" })]
    [InlineData(new[] { "demo" }, new[] { "gradient-descent", "linear-regression", "backprop", "batch-loss" })]
    public void A_command_group_alone_prints_its_help(string[] args, string[] commands)
    {
        var run = CliRun.Of(args);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        Assert.Equal(CliRun.Of([.. args, "--help"]).Out, run.Out);
        Assert.Contains("Usage:", run.Out);
        foreach (string command in commands) Assert.Contains(command, run.Out);
    }

    [Theory]
    [InlineData(new[] { "train", "--epoch", "5" }, "descent: unknown option '--epoch' for 'descent train'; did you mean '--epochs'?")]
    [InlineData(new[] { "train", "--learning-rate", "0.1" }, "descent: unknown option '--learning-rate' for 'descent train'; see 'descent train --help'.")]
    [InlineData(new[] { "tran" }, "descent: unknown command or argument 'tran'; did you mean 'train'?")]
    [InlineData(new[] { "demo", "gradient-descend" }, "descent: unknown command or argument 'gradient-descend' for 'descent demo'; did you mean 'gradient-descent'?")]
    [InlineData(new[] { "explain", "x", "--jsn" }, "descent: unknown option '--jsn' for 'descent explain'; did you mean '--json'?")]
    public void A_typo_gets_a_did_you_mean(string[] args, string expected)
    {
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(expected, run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);
    }

    [Theory]
    [InlineData(new[] { "train", "--epochs", "many" }, "'--epochs': expected a whole number.")]
    [InlineData(new[] { "train", "--lr", "fast" }, "'--lr': expected a number (such as 0.5 or 1e-3).")]
    [InlineData(new[] { "demo", "gradient-descent", "--x0", "ten" }, "'--x0': expected a number (such as 0.5 or 1e-3).")]
    public void A_value_of_the_wrong_type_is_described_in_words_not_dotnet_type_names(string[] args, string expected)
    {
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith(expected, line);
        Assert.DoesNotContain("System.", line);
    }

    [Theory]
    [InlineData("Int32", "a whole number")]
    [InlineData("System.Nullable`1[System.Int64]", "a whole number")]
    [InlineData("System.Nullable`1[System.Double]", "a number (such as 0.5 or 1e-3)")]
    [InlineData("System.Boolean", "true or false")]
    [InlineData("System.Uri", "a value of type Uri")]
    public void Type_names_read_as_words(string type, string words)
    {
        Assert.Equal(words, ParseErrors.Describe(type));
    }
}
