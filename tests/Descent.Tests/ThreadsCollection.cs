namespace Descent.Tests;

/// <summary>
/// Tests that change <see cref="Descent.Backends.Cpu.Parallelism.MaxThreads"/> run alone, so no other test
/// sees the setting change under it.
/// </summary>
[CollectionDefinition("Threads", DisableParallelization = true)]
public class ThreadsCollection;
