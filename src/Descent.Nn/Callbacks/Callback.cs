using Descent.Nn.Models;

namespace Descent.Nn.Callbacks;

/// <summary>
/// Hooks into <c>Model.Fit</c>, as Keras's callbacks: override the events you need. Logs map names ("loss",
/// "val_accuracy") to values; the epoch-end logs may be changed and the changes reach the history and the progress line.
/// Epochs and batches are 0-based.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained; set before <see cref="OnTrainBegin"/>.</summary>
    public Model? Model { get; internal set; }

    /// <summary>The model being trained, or an exception outside Fit.</summary>
    protected Model TrainingModel => Model ?? throw new InvalidOperationException($"{GetType().Name}: used outside Model.Fit.");

    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainBegin(IDictionary<string, double> logs) { }

    /// <summary>After the last epoch; <paramref name="logs"/> are the last epoch's.</summary>
    public virtual void OnTrainEnd(IDictionary<string, double> logs) { }

    /// <summary>Before each epoch.</summary>
    public virtual void OnEpochBegin(int epoch, IDictionary<string, double> logs) { }

    /// <summary>After each epoch, with the training and validation results.</summary>
    public virtual void OnEpochEnd(int epoch, IDictionary<string, double> logs) { }

    /// <summary>Before each training batch.</summary>
    public virtual void OnBatchBegin(int batch, IDictionary<string, double> logs) { }

    /// <summary>After each training batch, with the running results of the epoch.</summary>
    public virtual void OnBatchEnd(int batch, IDictionary<string, double> logs) { }
}
