namespace Descent.Nn.Tests.Readme;

/// <summary>Tests that redirect <see cref="Console.Out"/>, which is one per process: they run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
