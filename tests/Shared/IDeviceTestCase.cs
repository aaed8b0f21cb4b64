namespace Descent.Testing;

/// <summary>A test case bound to one device of <see cref="TestDevices.Names"/>.</summary>
public interface IDeviceTestCase
{
    /// <summary>The device name, as <see cref="Device.Parse"/> reads it.</summary>
    string DeviceName { get; }
}
