namespace Descent.Testing;

/// <summary>
/// Runs every test of the class once per device in <see cref="TestDevices.Names"/>, with that device as
/// <see cref="Device.Default"/> from the constructor to the end of the test (theory data made at run time
/// included). A device that cannot be opened here turns its copies into skipped tests that say why.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class OnEveryDeviceAttribute : Attribute;
