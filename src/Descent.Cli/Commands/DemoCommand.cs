using System.CommandLine;

namespace Descent.Cli.Commands;

/// <summary><c>descent demo</c>: the article's worked examples, one subcommand each.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext cli) => Program.ShowsHelp(new Command("demo", "Walk through the article's examples, every number shown")
    {
        DemoGradientDescentCommand.Create(cli),
        DemoLinearRegressionCommand.Create(cli),
        DemoBackpropCommand.Create(cli),
        DemoBatchLossCommand.Create(cli),
    });
}
