using Spectre.Console;

namespace Descent.Nn.Tests.Helpers;

/// <summary>A non-interactive Spectre console writing into a string, as when output is redirected.</summary>
internal sealed class TestConsole
{
    public StringWriter Writer { get; } = new();

    public IAnsiConsole Console { get; }

    public TestConsole(bool terminal = false)
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Writer),
        });
    }

    public string Text => Writer.ToString();

    public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
