namespace Descent.Nn.Callbacks;

/// <summary>
/// Sets the optimizer's learning rate at the start of each epoch to <c>schedule(epoch, currentRate)</c>
/// (Keras's LearningRateScheduler) and logs it as "learning_rate".
/// </summary>
public sealed class LearningRateScheduler(Func<int, double, double> schedule) : Callback
{
    private readonly Func<int, double, double> _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <inheritdoc />
    public override void OnEpochBegin(int epoch, IDictionary<string, double> logs)
    {
        var optimizer = TrainingModel.Optimizer ?? throw new InvalidOperationException("LearningRateScheduler: the model is not compiled.");
        optimizer.LearningRate = _schedule(epoch, optimizer.LearningRate);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs)
    {
        if (TrainingModel.Optimizer is { } optimizer) logs["learning_rate"] = optimizer.LearningRate;
    }
}
