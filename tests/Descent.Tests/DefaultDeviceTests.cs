namespace Descent.Tests;

/// <summary>Classes without [OnEveryDevice] keep the CPU: no device scope leaks from a device suite into them.</summary>
public class DefaultDeviceTests
{
    [Fact]
    public async Task Default_device_outside_device_suites_is_the_cpu()
    {
        Assert.Same(Device.Cpu, Device.Default);
        await Task.Yield();
        Assert.Same(Device.Cpu, Tensor.Zeros([1]).Device);
    }
}
