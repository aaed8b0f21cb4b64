using System.Text.Json;

namespace Descent.Cli.Tests;

/// <summary>One in-process run of <c>descent</c>, with what it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Err)
{
    public static CliRun Of(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with <c>--json</c> and checks the promise: exit 0, nothing on stderr, and stdout
    /// is exactly one JSON object (JsonDocument.Parse rejects trailing text).</summary>
    public static JsonElement Json(params string[] args)
    {
        var run = Of([.. args, "--json"]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Err}");
        Assert.Equal("", run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        return doc.RootElement.Clone();
    }
}
