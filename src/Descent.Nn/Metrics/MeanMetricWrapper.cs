namespace Descent.Nn.Metrics;

/// <summary>
/// A metric that averages a per-sample (or per-element) function of (yTrue, yPred) over everything seen, as Keras's
/// MeanMetricWrapper; the accuracy, MSE and MAE metrics are built on it, and it makes custom metrics one line.
/// </summary>
public class MeanMetricWrapper(Func<Tensor, Tensor, Tensor> function, string name) : Mean(name)
{
    private readonly Func<Tensor, Tensor, Tensor> _function = function ?? throw new ArgumentNullException(nameof(function));

    /// <summary>Adds the values of the function on this batch.</summary>
    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        // Metrics are never differentiated; cutting the inputs off keeps an enclosing tape from recording the metric's ops.
        UpdateState(_function(yTrue.StopGradient(), yPred.StopGradient()));
    }
}
