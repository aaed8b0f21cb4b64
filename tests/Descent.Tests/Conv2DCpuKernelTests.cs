using Descent.Backends;
using Descent.Backends.Cpu;

namespace Descent.Tests;

/// <summary>The CPU backend's convolution kernels: thread-count independence and argument checks; and the CPU and reference devices named side by side.</summary>
[Collection("Threads")]
public class Conv2DCpuKernelTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Results_do_not_depend_on_the_thread_count(bool direct)
    {
        // Big enough that every product splits across threads; 70 filters leave a ragged column block.
        var x = Conv2DTests.R(1, [8, 24, 20, 12], DType.Float32);
        var k = Conv2DTests.R(2, [3, 3, 12, 70], DType.Float32);
        var dy = Conv2DTests.R(3, [8, 24, 20, 70], DType.Float32);
        Tensor[] Run() =>
        [
            Tensor.Conv2D(x, k, padding: "same"),
            Tensor.Conv2DBackpropInput([8, 24, 20, 12], k, dy, padding: "same"),
            Tensor.Conv2DBackpropFilter(x, [3, 3, 12, 70], dy, padding: "same"),
        ];
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = Conv2DTests.OnPath(direct, Run);
            Parallelism.MaxThreads = 2;
            var two = Conv2DTests.OnPath(direct, Run);
            for (int i = 0; i < one.Length; i++)
                Assert.Equal(one[i].ToArray<float>().Select(BitConverter.SingleToInt32Bits), two[i].ToArray<float>().Select(BitConverter.SingleToInt32Bits));
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void Ops_and_gradients_on_the_reference_device_agree_with_the_cpu()
    {
        var x = Conv2DTests.R(1, [2, 6, 5, 3]);
        var k = Conv2DTests.R(2, [3, 3, 3, 4]);
        var bias = Conv2DTests.R(3, [4]);
        Tensor[] Run(Device device)
        {
            var (dx, dk, db) = (x.To(device), k.To(device), bias.To(device));
            using var tape = new GradientTape();
            tape.Watch([dx, dk, db]);
            var y = Tensor.MaxPool2D(Tensor.Conv2D(dx, dk, (1, 2), "same", bias: db, activation: FusedActivation.Tanh), (2, 2), padding: "same");
            var grads = tape.Gradient((y * y).Sum(), [dx, dk, db]);
            var second = Tensor.Conv2DBackpropFilter(dx, [3, 3, 3, 4], Tensor.Conv2D(dx, dk, (1, 2), "same"), (1, 2), "same");
            return [y, .. grads.Select(g => g!), second];
        }
        var cpu = Run(Device.Cpu);
        var reference = Run(Device.Reference);
        for (int i = 0; i < cpu.Length; i++)
        {
            Assert.Equal(Device.Reference, reference[i].Device);
            Check.Close(cpu[i].Shape.ToArray(), cpu[i].ToArray<double>(), reference[i], 1e-12, $"output {i}");
        }
        var e = Assert.Throws<ArgumentException>(() => Tensor.Conv2D(x, k.To(Device.Reference)));
        Assert.Contains("Conv2D: operands are on cpu and reference", e.Message);
    }

    [Fact]
    public void Backend_kernels_reject_other_dtypes_and_mismatched_layouts()
    {
        var cpu = CpuBackend.Instance;
        var g = new Conv2DGeometry(1, 3, 3, 1, 2, 2, 1, 1, 1, 1, 1, 0, 0, 2, 2);
        Storage Buffer(DType dtype, int n) => cpu.Allocate(dtype, n, zeroed: true);
        var e = Assert.Throws<ArgumentException>(() => cpu.Conv2D(Buffer(DType.Int32, 9), Layout.Contiguous([1, 3, 3, 1]), Buffer(DType.Int32, 4),
            Layout.Contiguous([2, 2, 1, 1]), Buffer(DType.Int32, 4), g));
        Assert.Contains("Conv2D: not defined for int32 tensors", e.Message);
        e = Assert.Throws<ArgumentException>(() => cpu.Conv2DBackwardInput(Buffer(DType.Float32, 4), Layout.Contiguous([1, 2, 2, 1]), Buffer(DType.Float32, 4),
            Layout.Contiguous([2, 2, 1, 1]), Buffer(DType.Float64, 9), g));
        Assert.Contains("Conv2DBackwardInput: dy is float32 but the output is float64", e.Message);
        e = Assert.Throws<ArgumentException>(() => cpu.Conv2DBackwardFilter(Buffer(DType.Float32, 9), Layout.Contiguous([1, 3, 3, 1]), Buffer(DType.Float32, 6),
            Layout.Contiguous([1, 2, 3, 1]), Buffer(DType.Float32, 4), g));
        Assert.Contains("Conv2DBackwardFilter: dy has shape [1,2,3,1], the geometry needs [1,2,2,1]", e.Message);
        e = Assert.Throws<ArgumentException>(() => cpu.Conv2D(Buffer(DType.Float32, 9), Layout.Contiguous([1, 3, 3, 1]), Buffer(DType.Float32, 4),
            Layout.Contiguous([2, 2, 1, 1]), Buffer(DType.Float32, 3), g));
        Assert.Contains("Conv2D: the output buffer holds 3 elements, [1,2,2,1] needs 4", e.Message);
    }
}
