using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Descent.Cli;

/// <summary>
/// What every command writes through: the two streams of one <see cref="Program.Run"/> call, a
/// Spectre console on stdout for human output, and the shared <c>--json</c> option.
/// </summary>
/// <remarks>Nothing here is static, so tests can run many invocations in parallel.</remarks>
internal sealed class CliContext
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A JSON document cannot hold NaN or infinity; commands must report them another way
        // (null or a flag), so writing one is a bug that should fail loudly.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        // The default encoder writes '+' and every non-ASCII letter as \uXXXX, for HTML's sake; this
        // JSON goes to a terminal or a program, where "a + b" and "σ" should read as themselves.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const int RedirectedWidth = 160;

    private readonly Lazy<IAnsiConsole> _console;

    public CliContext(TextWriter stdout, TextWriter stderr, Interrupts interrupts)
    {
        Out = stdout;
        Error = stderr;
        Interrupts = interrupts;
        _console = new Lazy<IAnsiConsole>(() => CreateConsole(stdout));
    }

    /// <summary>Ctrl-C for this invocation: a command that can stop cleanly watches it inside <see cref="Interrupts.Catch"/>.</summary>
    public Interrupts Interrupts { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Recursive, so every command under the root accepts it without declaring it.</summary>
    public Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Print one JSON object on stdout and nothing else",
        Recursive = true,
    };

    /// <summary>Recursive like <see cref="JsonOption"/>: shows the stack trace of an error.</summary>
    public Option<bool> VerboseOption { get; } = new("--verbose")
    {
        Description = "On an error, also print its stack trace",
        Recursive = true,
    };

    /// <summary>Human output (tables, text) on stdout; never used in <c>--json</c> mode.</summary>
    public IAnsiConsole Console => _console.Value;

    public bool IsJson(ParseResult parseResult) => parseResult.GetValue(JsonOption);

    /// <summary>Writes <paramref name="value"/> as the single JSON object of this invocation, with
    /// snake_case names and doubles in round-trip form.</summary>
    public void WriteJson<T>(T value)
    {
        string json;
        try
        {
            json = JsonSerializer.Serialize(value, JsonOptions);
        }
        catch (ArgumentException e)
        {
            // A NaN that reached the document is descent's bug (commands write null for them), not the user's input:
            // reported as an internal error rather than as System.Text.Json's message about .NET number values.
            throw new NotSupportedException($"the JSON output holds a number that JSON cannot (NaN or infinity): {e.Message}", e);
        }
        Out.WriteLine(json);
        Out.Flush();
    }

    private static IAnsiConsole CreateConsole(TextWriter writer)
    {
        // Colours and cursor codes only on a real terminal: redirected output and test writers get
        // plain text that diffs and greps cleanly.
        bool terminal = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Spectre assumes 80 columns when it cannot ask a terminal; wide tables of 17-digit numbers
        // would wrap inside cells, which no reader of a file or pipe wants.
        if (!terminal)
            console.Profile.Width = RedirectedWidth;
        return console;
    }
}
