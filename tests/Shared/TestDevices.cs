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

    /// <summary>
    /// Another device that opens here (the CPU for every device but the CPU itself), or <paramref name="device"/>
    /// when none does. A test makes it the default while it works on <paramref name="device"/> by name, so code
    /// that creates on <see cref="Device.Default"/> instead of on its operands' device fails.
    /// </summary>
    public static Device Elsewhere(Device device) =>
        Names.Where(n => n != device.ToString() && WhyAbsent(n) == null).Select(Open).FirstOrDefault() ?? device;

    /// <summary>The reason a <see cref="SkipOnAttribute"/> on <paramref name="method"/> gives for <paramref name="device"/>, or null.</summary>
    public static string? SkippedOn(Xunit.Abstractions.ITestMethod method, string device) =>
        method.Method.GetCustomAttributes(typeof(SkipOnAttribute))
            .Select(a => a.GetConstructorArguments().ToArray())
            .Where(args => (string)args[0] == device)
            .Select(args => $"not on {device}: {args[1]}")
            .FirstOrDefault();

    /// <summary>Opens the device named <paramref name="name"/>.</summary>
    public static Device Open(string name) => Device.Parse(name);
}
