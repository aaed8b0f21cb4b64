namespace Descent.Cli.Tests;

/// <summary>
/// The tests that train networks run one at a time, after the others: they are CPU-bound, and the default run's
/// train_seconds is checked against the 5 s, which two trainings sharing two cores would not meet.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection : ICollectionFixture<DefaultTrainRun>
{
    public const string Name = "training";
}
