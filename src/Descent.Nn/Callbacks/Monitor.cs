namespace Descent.Nn.Callbacks;

/// <summary>A monitored log value and its direction, shared by the callbacks that watch one.</summary>
internal sealed class Monitor
{
    public Monitor(string name, MonitorMode mode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Maximize = mode == MonitorMode.Max || (mode == MonitorMode.Auto &&
            (name.Contains("acc", StringComparison.Ordinal) || name.Contains("auc", StringComparison.Ordinal)
             || name.Contains("precision", StringComparison.Ordinal) || name.Contains("recall", StringComparison.Ordinal)));
    }

    public string Name { get; }

    public bool Maximize { get; }

    /// <summary>The worst possible value, where tracking starts.</summary>
    public double Worst => Maximize ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>True when <paramref name="current"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/>.</summary>
    public bool IsImprovement(double current, double best, double minDelta) =>
        Maximize ? current - minDelta > best : current + minDelta < best;

    /// <summary>The monitored value in <paramref name="logs"/>; missing or NaN gives false.</summary>
    public bool TryRead(IDictionary<string, double> logs, out double value) =>
        logs.TryGetValue(Name, out value) && !double.IsNaN(value);
}
