namespace Descent.Nn.Callbacks;

/// <summary>Stops training as soon as a batch's loss is NaN or infinite (Keras's TerminateOnNaN).</summary>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>The batch (0-based, within its epoch) that produced the non-finite loss, or -1.</summary>
    public int StoppedBatch { get; private set; } = -1;

    /// <inheritdoc />
    public override void OnBatchEnd(int batch, IDictionary<string, double> logs)
    {
        if (logs.TryGetValue("loss", out double loss) && !double.IsFinite(loss))
        {
            StoppedBatch = batch;
            TrainingModel.StopTraining = true;
        }
    }
}
