namespace Descent.Testing;

/// <summary>
/// Skips an <see cref="OnEveryDeviceAttribute"/> test on one device, saying why (a run that takes minutes on the
/// reference device's scalar loops). It still runs on every other device.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SkipOnAttribute(string device, string reason) : Attribute
{
    /// <summary>The device name, as <see cref="Device.Parse"/> reads it.</summary>
    public string Device { get; } = device;

    /// <summary>Why the test does not run there.</summary>
    public string Reason { get; } = reason;
}
