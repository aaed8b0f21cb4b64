using Descent.Backends.Cpu;

namespace Descent.Tests;

/// <summary>Results are bit-identical whatever the thread count: work splits at boundaries fixed by the problem size.</summary>
[Collection("Threads")]
public class DeterminismTests
{
    /// <summary>Runs <paramref name="compute"/> with one thread and with two and asserts identical bits.</summary>
    private static void SameBitsWithOneAndTwoThreads(Func<Tensor> compute)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = compute();
            Parallelism.MaxThreads = 2;
            var two = compute();
            Assert.Equal(one.Shape, two.Shape);
            Assert.Equal(one.DType, two.DType);
            Assert.Equal(Bits(one), Bits(two));
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    private static long[] Bits(Tensor t) => t.DType == DType.Float32
        ? t.ToArray<float>().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray()
        : t.ToArray<double>().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static readonly Tensor Big = Tensor.RandomUniform([4 * 1024 * 1024], new Generator(11), -1, 1);
    private static readonly Tensor Square = Tensor.RandomNormal([1024, 512], new Generator(12));

    [Fact]
    public void Sum_of_four_million_floats()
    {
        SameBitsWithOneAndTwoThreads(() => Big.Sum());
        SameBitsWithOneAndTwoThreads(() => Big.Cast(DType.Float64).Mean());
        SameBitsWithOneAndTwoThreads(() => Big.Square().Sum(keepDims: true));
    }

    [Fact]
    public void Axis_reductions()
    {
        SameBitsWithOneAndTwoThreads(() => Square.Sum(0));
        SameBitsWithOneAndTwoThreads(() => Square.Sum(1));
        SameBitsWithOneAndTwoThreads(() => Square.Mean(1, keepDims: true));
        SameBitsWithOneAndTwoThreads(() => Square.Max(0));
        SameBitsWithOneAndTwoThreads(() => Square.Variance(0));
        SameBitsWithOneAndTwoThreads(() => Square.Reshape(32, 32, 512).Sum([0, 2]));
        SameBitsWithOneAndTwoThreads(() => Square.Transpose().Sum(1));
    }

    [Fact]
    public void Large_elementwise_ops()
    {
        var million = Big[..(1 << 20)];
        SameBitsWithOneAndTwoThreads(() => million.Exp());
        SameBitsWithOneAndTwoThreads(() => million.Tanh() * million + 0.5);
        SameBitsWithOneAndTwoThreads(() => Square + Square[0]);
        SameBitsWithOneAndTwoThreads(() => Square.Transpose().Sigmoid());
    }

    [Fact]
    public void Matmul_and_softmax()
    {
        // Above the size where the multiply splits across threads.
        var a = Square[..192, ..128];
        var b = Square[512..640, 100..260];
        SameBitsWithOneAndTwoThreads(() => Tensor.MatMul(a, b));
        SameBitsWithOneAndTwoThreads(() => Tensor.MatMul(a.Cast(DType.Float64), b.Cast(DType.Float64)));
        SameBitsWithOneAndTwoThreads(() => Tensor.MatMul(Square[..384, ..128].Reshape(4, 96, 128), Square[..96, ..128], transposeB: true));
        SameBitsWithOneAndTwoThreads(() => Square.Softmax());
        SameBitsWithOneAndTwoThreads(() => Square.LogSoftmax(0));
    }

    [Fact]
    public void Gradients()
    {
        var labels = Tensor.FromArray(Enumerable.Range(0, 1024).Select(i => i * 7 % 512).ToArray());
        SameBitsWithOneAndTwoThreads(() =>
        {
            using var tape = new GradientTape();
            tape.Watch(Square);
            var loss = Tensor.SparseSoftmaxCrossEntropy(Square, labels).Mean();
            return tape.Gradient(loss, Square)!;
        });
    }
}
