namespace Descent.Tests;

/// <summary>
/// Tests that read a device's memory count run alone, so no other test's buffers are allocated or finalized while
/// they compare numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class MemoryCollection
{
    public const string Name = "Memory";
}
