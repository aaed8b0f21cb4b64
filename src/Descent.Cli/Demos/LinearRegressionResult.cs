namespace Descent.Cli.Demos;

/// <summary>The outcome of <see cref="LinearRegressionDemo.Run"/>.</summary>
/// <param name="History">One entry per epoch run, then a last one for the final a and b, whose loss is
/// computed but no longer used for an update: <paramref name="Epochs"/> + 1 entries when not stopped.</param>
/// <param name="StoppedEpoch">When the run diverged: the epoch whose loss or update was no longer a finite
/// float32, and where it stopped (that update not applied). Null otherwise.</param>
/// <param name="LeastSquaresA">The closed-form least-squares slope, in double.</param>
internal sealed record LinearRegressionResult(
    double LearningRate,
    int Epochs,
    IReadOnlyList<LinearRegressionEpoch> History,
    int? StoppedEpoch,
    double LeastSquaresA,
    double LeastSquaresB,
    double LeastSquaresLoss)
{
    public float A => History[^1].A;

    public float B => History[^1].B;

    /// <summary>Loss at the final a and b; NaN or infinity only when the run diverged.</summary>
    public float Loss => History[^1].Loss;

    /// <summary>Epochs whose update was applied.</summary>
    public int EpochsRun => History.Count - 1;
}
