namespace Descent.Nn.Tests.Readme;

/// <summary>
/// README's devices sample describes a fresh program, whose default device is the CPU, moving data to the
/// reference device; so it runs once, as written, rather than once per device like the other samples.
/// </summary>
public class ReadmeDevicesSampleTests
{
    [Fact]
    public void Devices_sample_keeps_results_on_their_device_and_agrees_with_the_cpu()
    {
        var (inside, result, weights, onCpu, onReference, error) = ReadmeSamples.Devices();
        Assert.Same(Device.Reference, inside);
        Assert.Same(Device.Reference, result);
        Assert.Same(Device.Reference, weights);
        Assert.Equal(onCpu, onReference);
        Assert.Contains("Add: operands are on cpu and reference; move one with .To(...)", error);
    }
}
