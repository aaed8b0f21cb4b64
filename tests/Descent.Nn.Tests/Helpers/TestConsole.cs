using System.Text;
using Spectre.Console;

namespace Descent.Nn.Tests.Helpers;

/// <summary>
/// A Spectre console writing into a string: by default non-interactive and not a terminal, as when output is redirected;
/// with <c>terminal</c> it claims to be an interactive ANSI terminal, so live displays render.
/// </summary>
internal sealed class TestConsole
{
    public StringWriter Writer { get; } = new();

    public IAnsiConsole Console { get; }

    public TestConsole(bool terminal = false)
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = terminal ? new TerminalOutput(Writer) : new AnsiConsoleOutput(Writer),
            // Spectre's CI detectors (GitHub Actions, ...) would switch interactivity off under CI; tests choose it themselves.
            Enrichment = new ProfileEnrichment { UseDefaultEnrichers = false },
        });
    }

    public string Text => Writer.ToString();

    public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private sealed class TerminalOutput(TextWriter writer) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;

        public bool IsTerminal => true;

        public int Width => 120;

        public int Height => 40;

        public void SetEncoding(Encoding encoding) { }
    }
}
