using CsCheck;

namespace Descent.Tests.Agreement;

/// <summary>
/// Runs an op on CPU copies of some host tensors and on copies on the device under test, and asserts that the
/// device's result (and the gradients, when asked) stays on that device, with the CPU's shape, dtype and values.
/// The device run happens with another device as <see cref="Device.Default"/>, so an op that creates a tensor on
/// the default device rather than on its operands' device fails here.
/// </summary>
internal sealed class DeviceAgreement(Device device)
{
    public Device Device { get; } = device;

    /// <summary>
    /// Checks <paramref name="op"/> on <paramref name="inputs"/>: exact for integer and bool results, else within
    /// <paramref name="tolerance"/>·max(1, |cpu value|). With <paramref name="gradients"/>, also the gradients of
    /// Σ w·op(inputs) (w fixed weights) with respect to each float input, within four times the tolerance.
    /// </summary>
    public void Check(string what, Func<Tensor[], Tensor> op, HostTensor[] inputs, double tolerance, bool gradients = false)
    {
        List<Tensor?> expected, actual;
        using (Device.Use(Device.Cpu))
            expected = Run(Device.Cpu, op, inputs, gradients);
        using (Device.Use(TestDevices.Elsewhere(Device)))
            actual = Run(Device, op, inputs, gradients);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            string label = i == 0 ? what : $"{what}, gradient of input {i - 1}";
            Same(label, expected[i], actual[i], i == 0 ? tolerance : 4 * tolerance);
        }
    }

    /// <summary>Runs <paramref name="check"/> on <paramref name="iterations"/> draws of <paramref name="cases"/>; a failure shrinks to a small case and prints it with its seed.</summary>
    public static void ForAll<T>(Gen<T> cases, Action<T> check, Func<T, string> print, int iterations = 200) =>
        cases.Sample(check, iter: iterations, threads: 1, print: print);

    private static List<Tensor?> Run(Device on, Func<Tensor[], Tensor> op, HostTensor[] inputs, bool gradients)
    {
        var xs = inputs.Select(h => h.On(on)).ToArray();
        if (!gradients) return [op(xs)];
        var floats = xs.Where(x => x.DType.IsFloat()).ToArray();
        using var tape = new GradientTape();
        tape.Watch(floats);
        var y = op(xs);
        if (!y.DType.IsFloat()) return [y];
        var w = Tensor.FromArray(Enumerable.Range(0, y.Size).Select(i => 1 + (i * 7 % 5) / 4.0).ToArray(), [.. y.Shape], on).Cast(y.DType);
        return [y, .. tape.Gradient((y * w).Sum(), floats)!];
    }

    private void Same(string what, Tensor? expected, Tensor? actual, double tolerance)
    {
        Assert.True((expected == null) == (actual == null), $"{what}: {(expected == null ? "no" : "a")} gradient on the cpu, {(actual == null ? "none" : "one")} on {Device}");
        if (expected == null || actual == null) return;
        Assert.True(actual.Device == Device, $"{what}: the result is on {actual.Device}; the inputs were on {Device}");
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{what}: shape [{string.Join(",", actual.Shape)}], the cpu gives [{string.Join(",", expected.Shape)}]");
        Assert.True(expected.DType == actual.DType, $"{what}: dtype {actual.DType}, the cpu gives {expected.DType}");
        if (expected.DType.IsFloat())
            Tests.Check.Close(expected.ToArray<double>(), actual.ToArray<double>(), tolerance, $"{what} on {Device} vs cpu");
        else
            Assert.True(expected.ToArray<long>().SequenceEqual(actual.ToArray<long>()),
                $"{what}: {string.Join(",", actual.ToArray<long>())} on {Device}, the cpu gives {string.Join(",", expected.ToArray<long>())}");
    }

    /// <summary>Value tolerance for results computed elementwise: a few float32 ulps, or float64 round-off.</summary>
    public static double Elementwise(DType dtype) => dtype == DType.Float32 ? 3e-6 : 1e-12;

    /// <summary>Value tolerance for results that accumulate many terms (softmax, variance, log-sum-exp).</summary>
    public static double Accumulated(DType dtype) => dtype == DType.Float32 ? 1e-5 : 1e-10;
}
