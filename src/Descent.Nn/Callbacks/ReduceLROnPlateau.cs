namespace Descent.Nn.Callbacks;

/// <summary>
/// Multiplies the learning rate by <c>factor</c> (not below <c>minLr</c>) when <c>monitor</c> has not improved by more
/// than <c>minDelta</c> for <c>patience</c> epochs, then waits <c>cooldown</c> epochs (Keras's ReduceLROnPlateau).
/// Logs the rate as "learning_rate".
/// </summary>
public sealed class ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10,
    MonitorMode mode = MonitorMode.Auto, double minDelta = 1e-4, int cooldown = 0, double minLr = 0) : Callback
{
    private readonly Monitor _monitor = new(monitor, mode);
    private int _wait, _cooldownLeft;
    private double _best;

    /// <inheritdoc />
    public override void OnTrainBegin(IDictionary<string, double> logs)
    {
        if (!(factor > 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLROnPlateau: the factor must be in (0, 1).");
        (_wait, _cooldownLeft, _best) = (0, 0, _monitor.Worst);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs)
    {
        var optimizer = TrainingModel.Optimizer ?? throw new InvalidOperationException("ReduceLROnPlateau: the model is not compiled.");
        logs["learning_rate"] = optimizer.LearningRate;
        if (!_monitor.TryRead(logs, out double current)) return;
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _wait = 0;
        }
        if (_monitor.IsImprovement(current, _best, minDelta))
        {
            (_best, _wait) = (current, 0);
        }
        else if (_cooldownLeft == 0 && ++_wait >= patience && optimizer.LearningRate > minLr)
        {
            double lowered = Math.Max(optimizer.LearningRate * factor, minLr);
            // Optimizers reject a zero rate; a minLr of 0 then keeps the last positive rate.
            if (lowered > 0) optimizer.LearningRate = lowered;
            (_cooldownLeft, _wait) = (cooldown, 0);
        }
    }
}
