namespace Descent.Nn.Callbacks;

/// <summary>
/// Stops training when <c>monitor</c> has not improved by more than <c>minDelta</c> for <c>patience</c> epochs
/// (Keras's EarlyStopping). With <c>restoreBestWeights</c> the weights of the best epoch are put back when training ends.
/// </summary>
public sealed class EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0,
    MonitorMode mode = MonitorMode.Auto, bool restoreBestWeights = false) : Callback
{
    private readonly Monitor _monitor = new(monitor, mode);
    private readonly double _minDelta = Math.Abs(minDelta);
    private int _wait;
    private double _best;
    private IReadOnlyList<Tensor>? _bestWeights;

    /// <summary>The epoch (0-based) at which training was stopped, or -1.</summary>
    public int StoppedEpoch { get; private set; } = -1;

    /// <summary>The epoch with the best monitored value, or -1.</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>The best monitored value seen.</summary>
    public double Best => _best;

    /// <inheritdoc />
    public override void OnTrainBegin(IDictionary<string, double> logs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        (_wait, _best, _bestWeights, StoppedEpoch, BestEpoch) = (0, _monitor.Worst, null, -1, -1);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs)
    {
        if (!_monitor.TryRead(logs, out double current)) return;
        var model = TrainingModel;
        if (restoreBestWeights && _bestWeights is null)
        {
            _bestWeights = model.GetWeights();
            BestEpoch = epoch;
        }
        _wait++;
        if (_monitor.IsImprovement(current, _best, _minDelta))
        {
            (_best, BestEpoch, _wait) = (current, epoch, 0);
            if (restoreBestWeights) _bestWeights = model.GetWeights();
            return;
        }
        if (_wait >= patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            model.StopTraining = true;
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(IDictionary<string, double> logs)
    {
        if (restoreBestWeights && _bestWeights is not null) TrainingModel.SetWeights(_bestWeights);
    }
}
