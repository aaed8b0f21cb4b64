namespace Descent.Nn.Training;

/// <summary>
/// Names (case-insensitive, as Keras's strings: "adam", "mse", "accuracy") mapped to factories, so that
/// <c>Compile("adam", "mse", ["accuracy"])</c> works. The optimizer, loss and metric libraries register theirs in <see cref="Registries"/>.
/// </summary>
public sealed class Registry<T> where T : class
{
    private readonly Dictionary<string, Func<T>> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _kind;

    /// <summary>Creates an empty registry; <paramref name="kind"/> ("optimizer") names it in errors.</summary>
    public Registry(string kind)
    {
        _kind = kind;
    }

    /// <summary>The registered names.</summary>
    public IReadOnlyCollection<string> Names => _factories.Keys;

    /// <summary>Registers (or replaces) <paramref name="name"/>.</summary>
    public void Register(string name, Func<T> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        _factories[name] = factory;
    }

    /// <summary>A new instance for <paramref name="name"/>; an unknown name throws <see cref="ArgumentException"/> listing the known ones.</summary>
    public bool Contains(string name) => _factories.ContainsKey(name);

    /// <summary>Creates the object registered as <paramref name="name"/> (any case); throws ArgumentException listing the known names.</summary>
    public T Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _factories.TryGetValue(name, out var factory)
            ? factory()
            : throw new ArgumentException($"No {_kind} is registered as '{name}'; the known ones are: {(_factories.Count == 0 ? "(none)" : string.Join(", ", _factories.Keys.Order()))}.", nameof(name));
    }
}
