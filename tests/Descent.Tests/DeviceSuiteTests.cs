using System.Reflection;
using Xunit.Abstractions;

namespace Descent.Tests;

/// <summary>
/// The [OnEveryDevice] machinery itself: each copy of a test sees its own device as the default in the
/// constructor, in the body, across awaits and in theory data read at run time.
/// </summary>
[OnEveryDevice]
public class DeviceSuiteTests
{
    private readonly Device _constructorDefault = Device.Default;
    private readonly Tensor _field = Tensor.Zeros([2]);
    private readonly string _device;

    public DeviceSuiteTests(ITestOutputHelper output)
    {
        // The device the runner bound this case to, read from the case itself rather than from the ambient default.
        var test = (ITest)output.GetType().GetField("test", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(output)!;
        _device = ((IDeviceTestCase)test.TestCase).DeviceName;
    }

    private void AssertOnOwnDevice()
    {
        // "cuda" names cuda:0, as torch.device("cuda") does.
        Assert.Same(Device.Parse(_device), Device.Default);
        Assert.Same(Device.Default, _constructorDefault);
        Assert.Same(Device.Default, _field.Device);
        Assert.Same(Device.Default, Tensor.Ones([3]).Device);
    }

    [Fact]
    public void Sync_fact_runs_on_its_device() => AssertOnOwnDevice();

    [Fact]
    public async Task Async_fact_keeps_its_device_across_awaits()
    {
        await Task.Yield();
        await Task.Delay(1);
        AssertOnOwnDevice();
        await Task.Run(AssertOnOwnDevice);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Sync_theory_row_runs_on_its_device(int row)
    {
        Assert.True(row > 0);
        AssertOnOwnDevice();
    }

    public static TheoryData<Tensor> TensorRows => new() { Tensor.Ones([2]), Tensor.Zeros([3]) };

    [Theory]
    [MemberData(nameof(TensorRows))]
    public async Task Async_theory_reads_its_data_on_its_device(Tensor row)
    {
        await Task.Yield();
        AssertOnOwnDevice();
        Assert.Same(Device.Default, row.Device);
    }

    [Fact]
    public void Every_listed_device_is_either_open_or_skipped_with_a_reason()
    {
        Assert.Contains(_device, TestDevices.Names);
        Assert.Null(TestDevices.WhyAbsent(_device));
        Assert.Equal(["cpu", "reference"], TestDevices.Names.Take(2));
    }
}
