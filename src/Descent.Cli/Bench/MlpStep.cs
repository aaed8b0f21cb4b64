using Descent.Optimizers;

namespace Descent.Cli.Bench;

/// <summary>
/// One SGD step of a 784-256-128-10 ReLU MLP on a batch of 128 with softmax cross-entropy: the same
/// network, batch and update as the peer's torch.nn.Sequential of three Linear layers.
/// </summary>
internal sealed class MlpStep
{
    private readonly Variable[] _weights;
    private readonly Tensor _x;
    private readonly Tensor _labels;
    private readonly SGD _optimizer = new(learningRate: 0.01);

    public MlpStep(long seed = 0)
    {
        var g = new Generator(seed);
        _weights =
        [
            Linear(g, 784, 256, "w1"), new Variable(Tensor.Zeros([256]), "b1"),
            Linear(g, 256, 128, "w2"), new Variable(Tensor.Zeros([128]), "b2"),
            Linear(g, 128, 10, "w3"), new Variable(Tensor.Zeros([10]), "b3"),
        ];
        _x = Tensor.RandomNormal([128, 784], g);
        var labels = new int[128];
        for (int i = 0; i < labels.Length; i++) labels[i] = g.NextInt(10);
        _labels = Tensor.FromArray(labels);
    }

    // PyTorch's Linear default: uniform in ±1/√fan_in.
    private static Variable Linear(Generator g, int fanIn, int fanOut, string name)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        return new Variable(Tensor.RandomUniform([fanIn, fanOut], g, -bound, bound), name);
    }

    public double Step()
    {
        using var tape = new GradientTape();
        var h1 = Tensor.Dense(_x, _weights[0], _weights[1], FusedActivation.Relu);
        var h2 = Tensor.Dense(h1, _weights[2], _weights[3], FusedActivation.Relu);
        var logits = Tensor.Dense(h2, _weights[4], _weights[5]);
        var loss = Tensor.SparseSoftmaxCrossEntropy(logits, _labels).Mean();
        var grads = tape.Gradient(loss, _weights);
        _optimizer.ApplyGradients(grads, _weights);
        return loss.Item<float>();
    }
}
