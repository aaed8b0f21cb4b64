namespace Descent.Tests;

/// <summary>Assertions shared by the core tests: element-wise closeness with a message that names the place.</summary>
internal static class Check
{
    /// <summary>Asserts |expected − actual| ≤ tolerance · max(1, |expected|) everywhere; NaN must match NaN and infinities match exactly.</summary>
    public static void Close(double[] expected, double[] actual, double tolerance, string what = "")
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e) || double.IsInfinity(e))
            {
                Assert.True(e.Equals(a), $"{what}[{i}]: expected {e}, got {a}");
                continue;
            }
            Assert.True(Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Abs(e)), $"{what}[{i}]: expected {e:R}, got {a:R}");
        }
    }

    /// <summary>Compares a tensor's shape and values (read as float64).</summary>
    public static void Close(int[] shape, double[] expected, Tensor actual, double tolerance, string what = "")
    {
        Assert.Equal(shape, actual.Shape);
        Close(expected, actual.ToArray<double>(), tolerance, what);
    }

    /// <summary>The tolerance that suits a float dtype: float32 keeps about 7 digits.</summary>
    public static double Tolerance(DType dtype) => dtype == DType.Float32 ? 2e-6 : 1e-12;

    public static TheoryData<DType> FloatDTypes => new() { DType.Float32, DType.Float64 };
}
