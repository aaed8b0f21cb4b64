using System.Text.Json;
using Descent.Nn.Layers;

namespace Descent.Nn.Tests.Layers;

/// <summary>Shared checks for layer tests: gradient checks over inputs and weights, closeness, config round trips.</summary>
internal static class LayerTesting
{
    /// <summary>Random float64 values in [-1, 1) of <paramref name="shape"/>.</summary>
    public static Tensor Random(long seed, params int[] shape) =>
        Tensor.RandomUniform(shape, new Generator(seed), -1, 1, DType.Float64);

    /// <summary>
    /// Builds <paramref name="layer"/> in float64 and gradient-checks it with respect to the input and every
    /// trainable weight. The numeric side writes perturbed weights into the variables; the analytic side reads them.
    /// </summary>
    public static void AssertGradientsMatch(Layer layer, Tensor x, bool training = false) =>
        AssertGradientsMatch(layer, [x], args => layer.Call(args[0], training));

    /// <summary>
    /// The same for a call that takes more differentiable inputs than the batch (a recurrent layer's initial states):
    /// <paramref name="call"/> gets <paramref name="inputs"/> (the batch first), perturbed one element at a time.
    /// </summary>
    public static void AssertGradientsMatch(Layer layer, Tensor[] inputs, Func<Tensor[], Tensor> call)
    {
        layer.DType = DType.Float64;
        layer.Build(inputs[0].Shape.Skip(1).ToArray(), new Generator(11));
        var weights = layer.TrainableVariables;
        var originals = weights.Select(v => Tensor.FromArray(v.ToArray<double>(), v.Shape.ToArray())).ToArray();
        int n = inputs.Length;
        Tensor F(Tensor[] args)
        {
            for (int i = 0; i < weights.Count; i++)
                weights[i].Assign(ReferenceEquals(args[n + i], weights[i]) ? originals[i] : args[n + i]);
            return call(args[..n]);
        }
        var result = GradientCheck.Run(F, [.. inputs, .. weights]);
        for (int i = 0; i < weights.Count; i++) weights[i].Assign(originals[i]);
        Assert.True(result.Passed, $"{layer.Name}: {result}");
    }

    /// <summary>Asserts elementwise closeness with a message naming the first bad index.</summary>
    public static void AssertClose(double[] expected, Tensor actual, double tolerance = 1e-9)
    {
        var a = actual.ToArray<double>();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"index {i}: expected {expected[i]}, got {a[i]}");
    }

    /// <summary>The layer's config as JSON text.</summary>
    public static string ConfigJson(Layer layer) => JsonSerializer.Serialize(layer.GetConfig());

    /// <summary>Recreates the layer through JSON and <see cref="LayerFactory"/>.</summary>
    public static Layer RoundTrip(Layer layer)
    {
        var config = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(ConfigJson(layer))!;
        return LayerFactory.FromConfig(layer.GetType().Name, config);
    }
}
