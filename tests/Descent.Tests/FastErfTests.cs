using Descent.Backends.Cpu;

namespace Descent.Tests;

/// <summary>The float32 erf kernel (coefficients from Fixtures/fast_erf_fit.py) against the float64 series.</summary>
public class FastErfTests
{
    private static float[] Run(float[] x)
    {
        var y = new float[x.Length];
        FastErf.Erf(x, y);
        return y;
    }

    [Fact]
    public void Erf_is_within_one_ulp_of_the_true_value()
    {
        var g = new Generator(4);
        var x = new float[20_011]; // odd length: the scalar tail runs too
        for (int i = 0; i < x.Length; i++)
            x[i] = i % 3 == 0 ? (float)(-6 + 12 * g.NextDouble()) : (float)((g.NextDouble() - 0.5) * Math.Pow(10, -12 + 12 * g.NextDouble()));
        var y = Run(x);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = SpecialFunctions.Erf(x[i]);
            double ulp = MathF.BitIncrement(Math.Abs((float)exact)) - Math.Abs((float)exact);
            Assert.True(Math.Abs(y[i] - exact) <= ulp, $"erf({x[i]:R}) = {y[i]:R}, exact {exact:R}");
        }
    }

    [Fact]
    public void Erf_keeps_signed_zeros_saturates_and_passes_nan_through_wherever_it_sits()
    {
        float[] specials = [0f, -0f, 4f, -4f, 9f, -30f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e-30f, -1e-42f];
        // Each special at its own place in an 11-element span: the first eight go through the vector lanes, the rest the scalar tail.
        for (int position = 0; position < 11; position++)
        {
            var x = new float[11];
            Array.Fill(x, 0.5f);
            x[position] = specials[position];
            var y = Run(x);
            Assert.Equal(Run([0.5f])[0], y[(position + 1) % 11]);
            float expected = specials[position] switch
            {
                float.NaN => float.NaN,
                var v when float.IsInfinity(v) || Math.Abs(v) >= 4 => MathF.Sign(v),
                var v => (float)SpecialFunctions.Erf(v),
            };
            Assert.Equal(expected, y[position]);
            if (specials[position] == 0) Assert.Equal(float.IsNegative(specials[position]), float.IsNegative(y[position]));
        }
    }
}
