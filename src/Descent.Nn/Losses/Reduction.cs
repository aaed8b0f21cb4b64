namespace Descent.Nn.Losses;

/// <summary>How a loss object combines per-sample losses (Keras's reduction argument).</summary>
public enum Reduction
{
    /// <summary>Per-sample losses, unreduced.</summary>
    None,

    /// <summary>The sum over the batch.</summary>
    Sum,

    /// <summary>The mean over the batch (Keras's default, "sum_over_batch_size").</summary>
    SumOverBatchSize,
}
