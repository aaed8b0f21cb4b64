using System.Collections;

namespace Descent.Nn.Training;

/// <summary>The read-only face TrainStep and TestStep return; Fit unwraps it to keep the values lazy.</summary>
internal sealed class ReadOnlyLogs(LazyLogs inner) : IReadOnlyDictionary<string, double>
{
    public LazyLogs Inner { get; } = inner;

    public double this[string key] => Inner[key];

    public IEnumerable<string> Keys => Inner.Keys;

    public IEnumerable<double> Values => Inner.Values;

    public int Count => Inner.Count;

    public bool ContainsKey(string key) => Inner.ContainsKey(key);

    public bool TryGetValue(string key, out double value) => Inner.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => Inner.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
