namespace Descent.Nn.Callbacks;

/// <summary>Whether a monitored quantity improves by going down or up.</summary>
public enum MonitorMode
{
    /// <summary>Max for names containing "acc", "auc" or "precision"/"recall", min otherwise (Keras's rule).</summary>
    Auto,

    /// <summary>Lower is better (losses).</summary>
    Min,

    /// <summary>Higher is better (accuracies).</summary>
    Max,
}
