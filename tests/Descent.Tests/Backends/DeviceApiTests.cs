namespace Descent.Tests.Backends;

/// <summary>The public face of devices: naming, the ambient default, moves, and the errors for what is missing or mixed.</summary>
public class DeviceApiTests
{
    // The tests reference Descent.Cuda (so cuda joins the device axis where there is a GPU); a kind whose package is
    // absent shows the message a program without Descent.Cuda gets for Device.Cuda(). Descent.Cuda.Tests covers the
    // message of a present package on a machine without a GPU.
    [Fact]
    public void A_device_kind_without_its_package_names_the_assembly_and_the_folder_it_looked_in()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Device.Parse("tpu"));
        Assert.Contains("Descent.Tpu", e.Message);
        Assert.Contains(AppContext.BaseDirectory, e.Message);
        Assert.Contains("Descent.Tpu", Assert.Throws<InvalidOperationException>(() => Device.Parse("tpu:1")).Message);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    [InlineData("cuda:-1")]
    [InlineData("cpu:1")]
    [InlineData("cpu:0:1")]
    public void Parse_rejects_what_it_cannot_read_naming_it(string text)
    {
        var e = Assert.ThrowsAny<Exception>(() => Device.Parse(text));
        Assert.True(e is ArgumentException or InvalidOperationException, e.GetType().Name);
        Assert.Contains("Device", e.Message);
    }

    [Fact]
    public void Parse_finds_the_built_in_devices_whatever_the_case()
    {
        Assert.Same(Device.Cpu, Device.Parse("CPU"));
        Assert.Same(Device.Reference, Device.Parse(" reference "));
        Assert.Equal("cpu", Device.Cpu.ToString());
    }

    [Fact]
    public void Use_scopes_nest_and_restore_the_default_on_dispose()
    {
        var outer = Device.Default;
        using (Device.Use(Device.Reference))
        {
            Assert.Same(Device.Reference, Tensor.Ones(2).Device);
            using (Device.Use(Device.Cpu))
                Assert.Same(Device.Cpu, Tensor.Scalar(1f).Device);
            Assert.Same(Device.Reference, Tensor.Arange(3).Device);
        }
        Assert.Same(outer, Device.Default);
    }

    [Fact]
    public void An_explicit_device_beats_the_ambient_default()
    {
        using (Device.Use(Device.Reference))
        {
            Assert.Same(Device.Cpu, Tensor.Zeros([2], device: Device.Cpu).Device);
            Assert.Same(Device.Cpu, Tensor.RandomUniform([2], seed: 1, device: Device.Cpu).Device);
            Assert.Same(Device.Cpu, Tensor.FromArray(new[] { 1, 2 }, [2], Device.Cpu).Device);
        }
    }

    [Fact]
    public void Mixing_devices_in_an_op_names_the_op_and_both_devices()
    {
        var a = Tensor.Ones(2, 2);
        var b = Tensor.Ones([2, 2], device: Device.Reference);
        Assert.Equal("Add: operands are on cpu and reference; move one with .To(...).", Assert.Throws<ArgumentException>(() => a + b).Message);
        Assert.StartsWith("MatMul: operands are on reference and cpu", Assert.Throws<ArgumentException>(() => Tensor.MatMul(b, a)).Message);
        Assert.StartsWith("Concat: operands are on cpu and reference", Assert.Throws<ArgumentException>(() => Tensor.Concat([a, b])).Message);
        Assert.StartsWith("Gather: operands are on cpu and reference",
            Assert.Throws<ArgumentException>(() => a.Gather(Tensor.FromArray(new[] { 0 }, [1], Device.Reference))).Message);
    }

    [Fact]
    public void Csharp_numbers_work_on_every_device()
    {
        var x = Tensor.FromArray(new[] { 1f, -2f }, [2], Device.Reference);
        var y = (2.0 * x + 1.0) / 4.0 - x * 0.25; // (x + 1) / 4
        Assert.Same(Device.Reference, y.Device);
        Assert.Equal([0.5f, -0.25f], y.ToArray<float>());
    }

    [Fact]
    public void Gradients_flow_back_across_a_move()
    {
        var x = new Variable(Tensor.FromArray(new[] { 1.0, 2.0 }));
        using var tape = new GradientTape();
        var y = (x.To(Device.Reference).Square() * 3.0).Sum();
        var g = tape.Gradient(y, x);
        Assert.Same(Device.Cpu, g!.Device);
        Assert.Equal([6.0, 12.0], g.ToArray<double>());
    }

    [Fact]
    public void A_variable_moves_in_place_and_then_refuses_a_value_from_its_old_device()
    {
        var v = new Variable(Tensor.FromArray(new[] { 1f, 2f }), "v");
        v.MoveTo(Device.Reference);
        Assert.Same(Device.Reference, v.Device);
        Assert.Equal([1f, 2f], v.ToArray<float>());
        Assert.Contains("operands are on reference and cpu", Assert.Throws<ArgumentException>(() => v.Assign(Tensor.Zeros(2))).Message);
    }

    [Fact]
    public void An_optimizer_refuses_to_use_state_left_on_the_old_device()
    {
        var v = new Variable(Tensor.FromArray(new[] { 1f, 2f }), "w");
        var sgd = new Descent.Optimizers.SGD(0.1, momentum: 0.9);
        sgd.ApplyGradients([Tensor.Ones(2)], [v]);
        v.MoveTo(Device.Reference);
        var e = Assert.Throws<InvalidOperationException>(() => sgd.ApplyGradients([Tensor.Ones([2], device: Device.Reference)], [v]));
        Assert.Contains("lives on cpu, but the variable moved to reference", e.Message);
    }
}
