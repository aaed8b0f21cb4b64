using System.CommandLine;
using System.CommandLine.Help;
using Descent.Cli.Commands;
using Descent.Cli.Explain;

namespace Descent.Cli;

/// <summary>The <c>descent</c> command-line tool.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Parses and runs one command line, writing only to the given streams.</summary>
    /// <returns>0 on success, 2 on any error: a wrong command line, bad input, or a failure while running.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliContext(stdout, stderr);
        ParseResult parseResult = BuildRootCommand(cli).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
                WriteError(stderr, error.Message);
            return ExitError;
        }
        try
        {
            return parseResult.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                // Our own handler below: one line, no stack trace unless --verbose asks for it.
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            // Errors a user can cause carry messages written for users; anything else is a bug in
            // descent, named as such so that nobody mistakes it for a problem with their input.
            bool userError = e is ArgumentException or InvalidDataException or InvalidOperationException
                or IOException or UnauthorizedAccessException or FormatException;
            string message = e is ArgumentException { ParamName: { } name }
                ? e.Message.Replace($" (Parameter '{name}')", "") // the message already names it
                : e.Message;
            WriteError(stderr, userError ? message
                : $"internal error ({e.GetType().Name}): {message} (run again with --verbose for the stack trace)");
            if (e is ExpressionSyntaxException syntax)
                stderr.WriteLine(syntax.Excerpt);
            if (parseResult.GetValue(cli.VerboseOption))
                stderr.WriteLine(e.ToString());
            stderr.Flush();
            return ExitError;
        }
    }

    /// <summary>The one exit code for every failure, so scripts test a single value.</summary>
    public const int ExitError = 2;

    /// <summary>Every command hangs off this tree. To add one, write a class in Commands/ with a
    /// <c>Create(CliContext)</c> method and add it here or to its parent (e.g. <see cref="DemoCommand"/>).</summary>
    internal static Command BuildRootCommand(CliContext cli) =>
        // Not RootCommand: it names itself after the running assembly (Descent.Cli, or testhost under
        // a test runner), and help should say "descent" however it is launched. These two options are
        // what RootCommand would have added.
        new("descent", "Descent: gradient descent and neural networks in .NET, step by step.")
        {
            new HelpOption(),
            new VersionOption(),
            cli.JsonOption,
            cli.VerboseOption,
            DemoCommand.Create(cli),
            ExplainCommand.Create(cli),
            TrainCommand.Create(cli),
            PredictCommand.Create(cli),
            GenerateCommand.Create(cli),
            BenchCommand.Create(cli),
        };

    private static void WriteError(TextWriter stderr, string message)
    {
        // Exception messages may span lines (ArgumentOutOfRangeException appends the actual value);
        // one line keeps the error greppable and the promise of "one line on stderr".
        string oneLine = string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        stderr.WriteLine($"descent: {oneLine}");
        stderr.Flush();
    }
}
