using System.Collections;

namespace Descent.Nn.Training;

/// <summary>
/// A step's logs whose values stay on the device until someone reads them: the progress bar reads the loss, a
/// callback may read what it needs, and the rest is read once at the end of the epoch. A training step thus costs
/// at most one small download (none at verbose 0), however many metrics are compiled in.
/// Writes (a callback adding a key) are kept as plain values.
/// </summary>
internal sealed class LazyLogs(IReadOnlyList<(string Name, Func<double> Read)> entries) : IDictionary<string, double>
{
    private readonly Dictionary<string, double> _written = [];

    public double this[string key]
    {
        get => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"No log named '{key}'.");
        set => _written[key] = value;
    }

    public ICollection<string> Keys => [.. Names()];

    public ICollection<double> Values => [.. this.Select(p => p.Value)];

    public int Count => Names().Count();

    public bool IsReadOnly => false;

    public bool TryGetValue(string key, out double value)
    {
        if (_written.TryGetValue(key, out value)) return true;
        foreach (var (name, read) in entries)
            if (name == key)
            {
                value = read();
                return true;
            }
        return false;
    }

    public bool ContainsKey(string key) => Names().Contains(key);

    public void Add(string key, double value) => _written.Add(key, value);

    public void Add(KeyValuePair<string, double> item) => Add(item.Key, item.Value);

    public bool Remove(string key) => throw new NotSupportedException("LazyLogs: a step's logs cannot lose an entry.");

    public bool Remove(KeyValuePair<string, double> item) => Remove(item.Key);

    public void Clear() => throw new NotSupportedException("LazyLogs: a step's logs cannot be cleared.");

    public bool Contains(KeyValuePair<string, double> item) => TryGetValue(item.Key, out var v) && v.Equals(item.Value);

    public void CopyTo(KeyValuePair<string, double>[] array, int arrayIndex)
    {
        foreach (var pair in this) array[arrayIndex++] = pair;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        foreach (var name in Names())
            yield return new(name, this[name]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<string> Names() =>
        entries.Select(e => e.Name).Concat(_written.Keys.Where(k => !entries.Any(e => e.Name == k)));
}
