namespace Descent.Nn.Callbacks;

/// <summary>A callback made of delegates, one per event; leave out the ones you do not need (Keras's LambdaCallback).</summary>
public sealed class LambdaCallback : Callback
{
    /// <summary>Runs before the first epoch.</summary>
    public Action<IDictionary<string, double>>? TrainBegin { get; init; }

    /// <summary>Runs after the last epoch.</summary>
    public Action<IDictionary<string, double>>? TrainEnd { get; init; }

    /// <summary>Runs before each epoch.</summary>
    public Action<int, IDictionary<string, double>>? EpochBegin { get; init; }

    /// <summary>Runs after each epoch.</summary>
    public Action<int, IDictionary<string, double>>? EpochEnd { get; init; }

    /// <summary>Runs before each batch.</summary>
    public Action<int, IDictionary<string, double>>? BatchBegin { get; init; }

    /// <summary>Runs after each batch.</summary>
    public Action<int, IDictionary<string, double>>? BatchEnd { get; init; }

    /// <inheritdoc />
    public override void OnTrainBegin(IDictionary<string, double> logs) => TrainBegin?.Invoke(logs);

    /// <inheritdoc />
    public override void OnTrainEnd(IDictionary<string, double> logs) => TrainEnd?.Invoke(logs);

    /// <inheritdoc />
    public override void OnEpochBegin(int epoch, IDictionary<string, double> logs) => EpochBegin?.Invoke(epoch, logs);

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs) => EpochEnd?.Invoke(epoch, logs);

    /// <inheritdoc />
    public override void OnBatchBegin(int batch, IDictionary<string, double> logs) => BatchBegin?.Invoke(batch, logs);

    /// <inheritdoc />
    public override void OnBatchEnd(int batch, IDictionary<string, double> logs) => BatchEnd?.Invoke(batch, logs);
}
