using System.CommandLine;
using System.CommandLine.Help;
using Descent.Cli.Commands;
using Descent.Cli.Explain;

namespace Descent.Cli;

/// <summary>The <c>descent</c> command-line tool.</summary>
public static class Program
{
    /// <summary>Runs the tool on the process's streams, with Ctrl-C handled as <see cref="Interrupts"/> says.</summary>
    public static int Main(string[] args)
    {
        using var interrupts = new Interrupts();
        Console.CancelKeyPress += (_, e) =>
        {
            // Only a command inside Interrupts.Catch (train's epochs) stops cleanly; otherwise, or at a second
            // Ctrl-C, the process ends at once as usual.
            e.Cancel = interrupts.TryInterrupt();
            if (e.Cancel)
                Console.Error.WriteLine("descent: interrupted; stopping after the current batch (press Ctrl-C again to quit at once).");
        };
        return Run(args, Console.Out, Console.Error, interrupts);
    }

    /// <summary>Parses and runs one command line, writing only to the given streams.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="stdout">Where output goes.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="interrupts">What Ctrl-C (or a test) uses to interrupt a command; null: nothing interrupts it.</param>
    /// <returns>0 on success, 2 on any error (a wrong command line, bad input, a failure while running), 130 when interrupted.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Interrupts? interrupts = null)
    {
        var cli = new CliContext(stdout, stderr, interrupts ?? new Interrupts());
        var root = BuildRootCommand(cli);
        ParseResult parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
                WriteError(stderr, ParseErrors.Explain(error, parseResult));
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
                // Ctrl-C is ours too (Interrupts): train stops after a batch and saves what finished.
                ProcessTerminationTimeout = null,
            });
        }
        catch (OperationCanceledException e) when (cli.Interrupts.Interrupted)
        {
            // Ctrl-C before a command had anything to keep (train's first epoch): say so, with the shell's exit code.
            WriteError(stderr, e.Message);
            return ExitInterrupted;
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

    /// <summary>The exit code of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int ExitInterrupted = 130;

    /// <summary>Every command hangs off this tree. To add one, write a class in Commands/ with a
    /// <c>Create(CliContext)</c> method and add it here or to its parent (e.g. <see cref="DemoCommand"/>).</summary>
    internal static Command BuildRootCommand(CliContext cli) =>
        // Not RootCommand: it names itself after the running assembly (Descent.Cli, or testhost under
        // a test runner), and help should say "descent" however it is launched. These two options are
        // what RootCommand would have added.
        ShowsHelp(new Command("descent", "Descent: gradient descent and neural networks in .NET, step by step.")
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
            ExportCommand.Create(cli),
            BenchCommand.Create(cli),
        });

    /// <summary>
    /// A command that only groups others (<c>descent</c>, <c>descent demo</c>) prints its help when run alone, where
    /// System.CommandLine would only say "Required command was not provided".
    /// </summary>
    internal static Command ShowsHelp(Command group)
    {
        group.SetAction(parseResult =>
        {
            new HelpAction().Invoke(parseResult);
            return 0;
        });
        return group;
    }

    private static void WriteError(TextWriter stderr, string message)
    {
        // Exception messages may span lines (ArgumentOutOfRangeException appends the actual value);
        // one line keeps the error greppable and the promise of "one line on stderr".
        string oneLine = string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        stderr.WriteLine($"descent: {oneLine}");
        stderr.Flush();
    }
}
