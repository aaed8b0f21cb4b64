using Descent.Nn.Models;

namespace Descent.Nn.Tests.Helpers;

internal static class Xor
{
    public static Tensor X => Tensor.FromArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });

    public static Tensor Y => Tensor.FromArray(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } });

    /// <summary>A 2-2-1 sigmoid network.</summary>
    public static Sequential Model(long seed = 0) =>
        new([new TestDense(2, "sigmoid"), new TestDense(1, "sigmoid")], inputShape: [2], seed: seed);

    /// <summary>A small regression problem: y = x·w + noise-free bias, 64 rows.</summary>
    public static (Tensor X, Tensor Y) Linear(int rows = 64, long seed = 1)
    {
        var x = Tensor.RandomUniform([rows, 3], new Generator(seed), -1, 1);
        var y = x.MatMul(Tensor.FromArray(new float[,] { { 1 }, { -2 }, { 0.5f } })) + 0.3f;
        return (x, y);
    }

    public static float[] Flat(Model model) => model.Variables.SelectMany(v => v.ToArray<float>()).ToArray();
}
