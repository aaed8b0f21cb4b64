using System.Collections.Concurrent;

namespace Descent.Testing;

/// <summary>The devices that <see cref="OnEveryDeviceAttribute"/> suites run on: the one list to extend for a new backend.</summary>
public static class TestDevices
{
    /// <summary>Device names as <see cref="Device.Parse"/> reads them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cpu", "reference", "cuda"];

    private static readonly ConcurrentDictionary<string, string?> Absent = new();

    /// <summary>Null when <paramref name="name"/> opens here; otherwise why not, as a skip reason.</summary>
    public static string? WhyAbsent(string name) => Absent.GetOrAdd(name, static n =>
    {
        try
        {
            Device.Parse(n);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or DllNotFoundException)
        {
            return $"no {n} device here: {e.Message}";
        }
    });

    /// <summary>Opens the device named <paramref name="name"/>.</summary>
    public static Device Open(string name) => Device.Parse(name);
}
