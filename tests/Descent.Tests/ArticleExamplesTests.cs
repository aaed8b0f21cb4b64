using System.Text.Json;
using Descent.Optimizers;

namespace Descent.Tests;

/// <summary>The article's first two examples (../shared/seed), run as the article runs them.</summary>
[OnEveryDevice]
public class ArticleExamplesTests
{
    // Example 1: y = 3x² + 2x + 1 from x = -10 with step 0.2. The update is x ← x − 0.2(6x + 2) = −0.2x − 0.4,
    // so x_n + 1/3 = (−0.2)ⁿ (x_0 + 1/3): after 1000 steps the error is 10^-699, far below double resolution.
    [Fact]
    public void Example1_plain_doubles_reach_the_exact_minimum()
    {
        double x = -10, y = 0;
        for (int i = 0; i < 1000; i++)
        {
            y = 3 * x * x + 2 * x + 1;
            x -= (6 * x + 2) * 0.2;
        }
        Assert.Equal(-1.0 / 3.0, x, 15);
        Assert.Equal(2.0 / 3.0, 3 * x * x + 2 * x + 1, 15);
        Assert.Equal(2.0 / 3.0, y, 15); // the article prints ls[-1], y before the last step: also 0.67
    }

    [Fact]
    public void Example1_with_autodiff_in_float64_matches_plain_doubles()
    {
        double plain = -10;
        var x = new Variable(-10.0);
        var optimizer = new SGD(learningRate: 0.2);
        for (int i = 0; i < 1000; i++)
        {
            using var tape = new GradientTape();
            var y = 3.0 * x.Square() + 2.0 * x + 1.0;
            optimizer.ApplyGradients([tape.Gradient(y, x)], [x]);
            plain -= (6 * plain + 2) * 0.2;
        }
        Assert.Equal(DType.Float64, x.DType);
        Assert.Equal(plain, x.Item<double>());
        Assert.Equal(-1.0 / 3.0, x.Item<double>(), 15);
    }

    [Fact]
    public void Example1_first_step_gradient_is_6x_plus_2()
    {
        var x = new Variable(-10.0);
        using var tape = new GradientTape();
        var y = 3.0 * x.Square() + 2.0 * x + 1.0;
        Assert.Equal(281.0, y.Item<double>());
        Assert.Equal(-58.0, tape.Gradient(y, x)!.Item<double>());
    }

    // Example 2, the article's TensorFlow program line by line. The expected values come from
    // Fixtures/linear_regression_float32.py, the same float32 arithmetic written out by hand in NumPy.
    [Fact]
    public void Example2_linear_regression_matches_the_float32_reference_bit_for_bit()
    {
        var X = Tensor.FromArray(new[] { 0f, 0.25f, 0.5f, 0.74f, 1f });
        var y = Tensor.FromArray(new[] { 0f, 0.36f, 0.54f, 0.82f, 1f });

        var a = new Variable(0f);
        var b = new Variable(0f);
        Variable[] variables = [a, b];

        int numEpoch = 100;
        var optimizer = new SGD(learningRate: 5e-4);
        float firstLoss = 0, lastLoss = 0;
        for (int e = 0; e < numEpoch; e++)
        {
            using var tape = new GradientTape();
            var yPred = a * X + b;
            var loss = (yPred - y).Square().Sum();
            var grads = tape.Gradient(loss, variables);
            optimizer.ApplyGradients(grads, variables);
            if (e == 0) firstLoss = loss.Item<float>();
            lastLoss = loss.Item<float>();
        }

        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "linear_regression_float32.json")));
        var root = fixture.RootElement;
        // The fixture sums in float32 in TensorFlow's order, which the CPU kernels keep bit for bit. A device that sums in
        // float64 and rounds once (the reference) may differ in the last bit of a sum, and 100 steps carry that along.
        int ulps = Device.Default == Device.Cpu ? 0 : 4;
        AssertUlpsApart(BitConverter.UInt32BitsToSingle(root.GetProperty("a_bits").GetUInt32()), a.Item<float>(), ulps);
        AssertUlpsApart(BitConverter.UInt32BitsToSingle(root.GetProperty("b_bits").GetUInt32()), b.Item<float>(), ulps);
        AssertUlpsApart((float)root.GetProperty("first_loss").GetDouble(), firstLoss, ulps);
        AssertUlpsApart((float)root.GetProperty("last_loss").GetDouble(), lastLoss, ulps);
        Assert.Equal(100, optimizer.Iterations);
    }

    private static void AssertUlpsApart(float expected, float actual, int ulps)
    {
        // For finite floats of one sign, consecutive values have consecutive bit patterns.
        Assert.True(Math.Sign(expected) == Math.Sign(actual), $"expected {expected:R}, got {actual:R}");
        long apart = Math.Abs((long)BitConverter.SingleToInt32Bits(expected) - BitConverter.SingleToInt32Bits(actual));
        Assert.True(apart <= ulps, $"expected {expected:R}, got {actual:R}: {apart} ulps apart, at most {ulps} allowed on {Device.Default}");
    }
}
