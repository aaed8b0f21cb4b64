namespace Descent.Nn.Tests.DeviceGuard;

/// <summary>
/// Runs code for a device while another device is the default, so anything created on <see cref="Device.Default"/>
/// instead of on the data's device lands on the wrong device and the next op throws.
/// </summary>
internal static class Elsewhere
{
    public static T Run<T>(Device device, Func<T> body)
    {
        using (Device.Use(TestDevices.Elsewhere(device))) return body();
    }

    /// <summary>Runs the CPU run that a device run is compared with, as a plain CPU program would: the CPU the default.</summary>
    public static T OnTheCpu<T>(Func<T> body)
    {
        using (Device.Use(Device.Cpu)) return body();
    }

    /// <summary>Asserts that <paramref name="tensor"/> is on <paramref name="device"/>, naming what it is.</summary>
    public static void On(Device device, Tensor tensor, string what) =>
        Assert.True(tensor.Device == device, $"{what} is on {tensor.Device}, expected {device}");

    /// <summary>|expected − actual| ≤ tolerance · max(1, |expected|) everywhere.</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{what}: shape [{string.Join(",", actual.Shape)}], expected [{string.Join(",", expected.Shape)}]");
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * Math.Max(1, Math.Abs(e[i])), $"{what}[{i}]: expected {e[i]:R}, got {a[i]:R}");
    }
}
