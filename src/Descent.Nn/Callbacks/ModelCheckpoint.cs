using System.Globalization;

namespace Descent.Nn.Callbacks;

/// <summary>
/// Saves the model's weights (safetensors, via <c>Model.SaveWeights</c>) after each epoch to <c>path</c>, where
/// "{epoch}" becomes the 1-based epoch number (Keras's ModelCheckpoint with save_weights_only). With
/// <c>saveBestOnly</c> only epochs that improve <c>monitor</c> are saved.
/// </summary>
public sealed class ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false,
    MonitorMode mode = MonitorMode.Auto) : Callback
{
    private readonly string _path = path ?? throw new ArgumentNullException(nameof(path));
    private readonly Monitor _monitor = new(monitor, mode);
    private double _best;

    /// <summary>The files written, in order.</summary>
    public List<string> Saved { get; } = [];

    /// <inheritdoc />
    public override void OnTrainBegin(IDictionary<string, double> logs) => _best = _monitor.Worst;

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs)
    {
        if (saveBestOnly)
        {
            if (!_monitor.TryRead(logs, out double current) || !_monitor.IsImprovement(current, _best, 0)) return;
            _best = current;
        }
        string file = _path.Replace("{epoch}", (epoch + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        TrainingModel.SaveWeights(file);
        Saved.Add(file);
    }
}
