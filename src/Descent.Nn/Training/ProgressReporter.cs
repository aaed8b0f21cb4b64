using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Descent.Nn.Training;

/// <summary>
/// Keras-style progress for Fit and Evaluate. verbose 1 on an interactive terminal draws a live bar per epoch
/// (steps, bar, ETA, time per step, running metrics); verbose 2, or any verbose above 0 when the output is redirected
/// or in CI, writes one line per epoch; verbose 0 writes nothing.
/// </summary>
internal sealed class ProgressReporter
{
    private readonly IAnsiConsole _console;
    private readonly int _verbose;
    private readonly bool _live;

    /// <param name="console">Where to write; made only when <paramref name="verbose"/> is above 0.</param>
    /// <param name="verbose">0 silent, 1 live bar on a terminal (else one line per epoch), 2 one line per epoch.</param>
    public ProgressReporter(Func<IAnsiConsole> console, int verbose)
    {
        _verbose = verbose;
        _console = verbose > 0 ? console() : NullConsole.Value;
        _live = verbose == 1 && _console.Profile.Out.IsTerminal && _console.Profile.Capabilities.Interactive;
    }

    private static readonly Lazy<IAnsiConsole> NullConsole = new(() => ConsoleFor(TextWriter.Null));

    /// <summary>
    /// A console over <paramref name="writer"/>: with colours, cursor codes and live display only when it is the
    /// process's own standard output on a terminal, plain text otherwise (a file, a pipe, a test's StringWriter).
    /// </summary>
    public static IAnsiConsole ConsoleFor(TextWriter writer)
    {
        bool terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Spectre assumes 80 columns when it cannot ask a terminal; a progress line is written past Spectre anyway.
        if (!terminal) console.Profile.Width = 160;
        return console;
    }

    /// <summary>
    /// Runs one epoch's <paramref name="body"/>, which reports (steps done, running logs) after each step and returns
    /// the epoch's final logs; <paramref name="epoch"/> null labels an evaluation instead.
    /// </summary>
    public IDictionary<string, double> Run(int? epoch, int epochs, long steps,
        Func<Action<int, IDictionary<string, double>>, IDictionary<string, double>> body)
    {
        if (_verbose <= 0) return body(static (_, _) => { });
        var clock = Stopwatch.StartNew();
        int done = 0;
        if (!_live)
        {
            var logs = body((step, _) => done = step);
            string prefix = epoch is { } e ? $"Epoch {e + 1}/{epochs} - " : "";
            // Straight to the writer: Spectre would wrap a long line at the console width, which breaks "one line per epoch" in logs.
            var writer = _console.Profile.Out.Writer;
            writer.WriteLine($"{prefix}{done}/{steps} - {Line(clock.Elapsed, done, logs)}");
            writer.Flush();
            return logs;
        }

        if (epoch is { } index) _console.WriteLine($"Epoch {index + 1}/{epochs}");
        IDictionary<string, double> final = new Dictionary<string, double>();
        _console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new StepColumn(), new ProgressBarColumn(), new TimeColumn(), new MetricsColumn())
            .Start(context =>
            {
                // MetricsColumn shows the description; Spectre rejects a blank one.
                var task = context.AddTask("starting", maxValue: Math.Max(steps, 1));
                final = body((step, logs) =>
                {
                    done = step;
                    // Only the loss while the epoch runs: each shown value is a download from the device.
                    task.Description = Metrics(clock.Elapsed, step, logs.TryGetValue("loss", out var loss) ? [new("loss", loss)] : []);
                    task.Value = step;
                });
                task.Description = Metrics(clock.Elapsed, done, final);
                task.Value = task.MaxValue;
                task.StopTask();
            });
        return final;
    }

    /// <summary>"0s - 3ms/step - loss: 0.1234 - accuracy: 0.9500".</summary>
    internal static string Line(TimeSpan elapsed, int steps, IEnumerable<KeyValuePair<string, double>> logs) =>
        $"{(int)elapsed.TotalSeconds}s - {Metrics(elapsed, steps, logs)}";

    private static string Metrics(TimeSpan elapsed, int steps, IEnumerable<KeyValuePair<string, double>> logs)
    {
        var parts = new List<string> { PerStep(elapsed, steps) };
        foreach (var (name, value) in logs) parts.Add($"{name}: {Number(value)}");
        return string.Join(" - ", parts);
    }

    private static string PerStep(TimeSpan elapsed, int steps)
    {
        double seconds = elapsed.TotalSeconds / Math.Max(steps, 1);
        return seconds >= 1 ? $"{seconds:0}s/step" : seconds >= 1e-3 ? $"{seconds * 1e3:0}ms/step" : $"{seconds * 1e6:0}us/step";
    }

    // Keras prints "%.4f", switching to "%.4e" for small magnitudes so they do not read as 0.
    private static string Number(double value) =>
        value != 0 && Math.Abs(value) < 1e-3 ? value.ToString("0.0000e+00", CultureInfo.InvariantCulture) : value.ToString("0.0000", CultureInfo.InvariantCulture);
}
