using Descent.Cuda.Backend;
using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Models;
using Descent.Optimizers;
using Xunit.Abstractions;

namespace Descent.Cuda.Tests;

/// <summary>
/// What one training step queues on a GPU, counted on a <see cref="FakeGpu"/>. A small step is bound by launches,
/// not arithmetic (PyTorch's MLP step at batch 128 takes 1.09 ms on an H100 for about 0.1 GFLOP), so the count of
/// kernels and GEMMs is the number that decides the fit_step_b128 target; these tests keep it from creeping up.
/// </summary>
public class LaunchCountTests(ITestOutputHelper output)
{
    [Fact]
    public void An_adam_step_of_the_784_256_128_10_mlp_queues_at_most_32_kernels_and_8_gemms()
    {
        var gpu = new FakeGpu();
        var device = new CudaBackend(gpu, 0).Device;
        Sequential model;
        Tensor x, labels;
        using (Device.Use(device))
        {
            model = new Sequential([new Dense(256, "relu"), new Dense(128, "relu"), new Dense(10)], [784], seed: 0);
            model.Compile(new Adam(learningRate: 1e-3), new SparseCategoricalCrossentropy(fromLogits: true));
            x = Tensor.Zeros([128, 784]);
            labels = Tensor.Zeros([128], DType.Int32);
        }
        model.TrainStep(x, labels);
        gpu.Launches.Clear();
        gpu.Gemms.Clear();

        model.TrainStep(x, labels);

        var kernels = gpu.Launches.GroupBy(l => l.Name).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} × {g.Key}");
        output.WriteLine($"{gpu.Launches.Count} kernels, {gpu.Gemms.Count} GEMMs:\n{string.Join("\n", kernels)}");
        // Forward 3 products; backward a weight gradient per layer and an input gradient for all but the first.
        Assert.Equal(8, gpu.Gemms.Count);
        // 30 when written: one fused Adam per variable (6), bias + ReLU fused forward, one cross-entropy kernel and one
        // range check of the labels (5 kernels; the Keras loss and the fused op used to make one each).
        Assert.InRange(gpu.Launches.Count, 20, 32);
    }
}
