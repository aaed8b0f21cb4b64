using System.Collections.Concurrent;
using System.Text.Json;
using Descent.Nn.Layers;

namespace Descent.Nn.Serialization;

/// <summary>
/// Rebuilds layers from the class name and config saved in model.json: <c>Model.Load</c> looks the class name up here.
/// Register your own layer classes with <see cref="Register"/>; names not registered go to <see cref="Fallback"/>
/// (the library's layer factory, once set).
/// </summary>
public static class LayerRegistry
{
    private static readonly ConcurrentDictionary<string, Func<IReadOnlyDictionary<string, JsonElement>, Layer>> Factories = new(StringComparer.Ordinal);

    /// <summary>Handles class names that were not registered: by default the library's own layers (<see cref="LayerFactory"/>).</summary>
    public static Func<string, IReadOnlyDictionary<string, JsonElement>, Layer>? Fallback { get; set; } = LayerFactory.FromConfig;

    /// <summary>The registered class names.</summary>
    public static IReadOnlyCollection<string> Names => (IReadOnlyCollection<string>)Factories.Keys;

    /// <summary>Registers (or replaces) the factory for <paramref name="className"/> (the type name, "Dense").</summary>
    public static void Register(string className, Func<IReadOnlyDictionary<string, JsonElement>, Layer> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        ArgumentNullException.ThrowIfNull(factory);
        Factories[className] = factory;
    }

    /// <summary>Creates a layer of <paramref name="className"/> from its saved <paramref name="config"/>.</summary>
    public static Layer Create(string className, IReadOnlyDictionary<string, JsonElement> config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        if (Factories.TryGetValue(className, out var factory)) return factory(config);
        if (Fallback is { } fallback) return fallback(className, config);
        throw new ArgumentException($"LayerRegistry: no layer class '{className}' is registered; the known ones are: {(Factories.IsEmpty ? "(none)" : string.Join(", ", Factories.Keys.Order()))}.", nameof(className));
    }
}
