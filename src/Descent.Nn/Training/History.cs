namespace Descent.Nn.Training;

/// <summary>
/// What <c>Fit</c> returns, as Keras's History: for each log name ("loss", "accuracy", "val_loss", ...) the value
/// at the end of each epoch that ran.
/// </summary>
public sealed class History
{
    private readonly Dictionary<string, List<double>> _values = [];
    private readonly List<int> _epochs = [];

    /// <summary>The indices of the epochs that ran (0-based).</summary>
    public IReadOnlyList<int> Epochs => _epochs;

    /// <summary>Each log name and its per-epoch values.</summary>
    public IReadOnlyDictionary<string, List<double>> Values => _values;

    /// <summary>The per-epoch values of <paramref name="name"/>.</summary>
    public IReadOnlyList<double> this[string name] =>
        _values.TryGetValue(name, out var list) ? list
        : throw new KeyNotFoundException($"History: no values named '{name}'; the names are {string.Join(", ", _values.Keys)}.");

    internal void Record(int epoch, IEnumerable<KeyValuePair<string, double>> logs)
    {
        _epochs.Add(epoch);
        foreach (var (name, value) in logs)
        {
            if (!_values.TryGetValue(name, out var list)) _values.Add(name, list = []);
            list.Add(value);
        }
    }
}
