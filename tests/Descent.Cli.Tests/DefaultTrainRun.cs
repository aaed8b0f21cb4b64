using System.Text.Json;

namespace Descent.Cli.Tests;

/// <summary>One default <c>descent train --json</c> run (the digits MLP), shared by the tests that inspect it.</summary>
public sealed class DefaultTrainRun : IDisposable
{
    private readonly TempFolder _folder = new();

    public DefaultTrainRun()
    {
        Out = Path.Combine(_folder.Path, "run");
        Json = CliRun.Json("train", "--out", Out);
    }

    /// <summary>The output folder the run wrote.</summary>
    public string Out { get; }

    /// <summary>What it printed.</summary>
    public JsonElement Json { get; }

    public void Dispose() => _folder.Dispose();
}
