using Descent.Nn.Models;

namespace Descent.Nn.Callbacks;

/// <summary>Fans each event out to the callbacks of one Fit call, in order.</summary>
internal sealed class CallbackList(IEnumerable<Callback>? callbacks, Model model)
{
    private readonly Callback[] _callbacks = (callbacks ?? []).ToArray();

    public void OnTrainBegin(IDictionary<string, double> logs)
    {
        foreach (var c in _callbacks)
        {
            c.Model = model;
            c.OnTrainBegin(logs);
        }
    }

    public void OnTrainEnd(IDictionary<string, double> logs)
    {
        foreach (var c in _callbacks) c.OnTrainEnd(logs);
    }

    public void OnEpochBegin(int epoch, IDictionary<string, double> logs)
    {
        foreach (var c in _callbacks) c.OnEpochBegin(epoch, logs);
    }

    public void OnEpochEnd(int epoch, IDictionary<string, double> logs)
    {
        foreach (var c in _callbacks) c.OnEpochEnd(epoch, logs);
    }

    public void OnBatchBegin(int batch, IDictionary<string, double> logs)
    {
        foreach (var c in _callbacks) c.OnBatchBegin(batch, logs);
    }

    public void OnBatchEnd(int batch, IDictionary<string, double> logs)
    {
        foreach (var c in _callbacks) c.OnBatchEnd(batch, logs);
    }
}
