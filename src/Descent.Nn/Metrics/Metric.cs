namespace Descent.Nn.Metrics;

/// <summary>
/// A stateful metric, as in Keras: <see cref="UpdateState"/> accumulates over the batches of an epoch,
/// <see cref="Result"/> reads the running value and <see cref="ResetState"/> starts a new epoch.
/// </summary>
public abstract class Metric
{
    /// <summary>Creates the metric.</summary>
    protected Metric(string name)
    {
        Name = name;
    }

    /// <summary>The name used in logs and history ("accuracy").</summary>
    public string Name { get; }

    /// <summary>Adds one batch of targets and predictions.</summary>
    public abstract void UpdateState(Tensor yTrue, Tensor yPred);

    /// <summary>The value over everything seen since the last reset.</summary>
    public abstract double Result();

    /// <summary>Forgets everything seen.</summary>
    public abstract void ResetState();
}
