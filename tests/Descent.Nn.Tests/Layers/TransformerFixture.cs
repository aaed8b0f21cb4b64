using System.Text.Json;
using Descent.Nn.Layers;

namespace Descent.Nn.Tests.Layers;

/// <summary>
/// Fixtures/transformer.json, made by Fixtures/transformer.py with PyTorch in float64: weights in Keras's layouts and
/// names, inputs, outputs, and the gradients of sum(y · dy) with respect to every input and weight.
/// </summary>
internal static class TransformerFixture
{
    private static readonly Lazy<JsonElement> Root = new(() => FixtureFile.Load("transformer.json").Clone());

    public static JsonElement Get(string kind) => Root.Value.GetProperty(kind);

    public static IEnumerable<object[]> Indices(string kind) =>
        Enumerable.Range(0, Get(kind).GetArrayLength()).Select(i => new object[] { i });

    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    public static Tensor Tensor64(JsonElement entry) =>
        Tensor.FromArray(entry.GetProperty("values").Doubles(), entry.GetProperty("shape").Ints(), null);

    /// <summary>A bool tensor from 0/1 ints of <paramref name="shape"/>.</summary>
    public static Tensor Bools(JsonElement values, params int[] shape) =>
        Tensor.FromArray(values.Ints().Select(v => v != 0).ToArray(), shape, null);

    /// <summary>The case's named inputs as float64 tensors, in the fixture's order.</summary>
    public static Dictionary<string, Tensor> Inputs(JsonElement c) =>
        c.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => Tensor64(p.Value));

    /// <summary>
    /// Writes the fixture's weights into <paramref name="variables"/>, matched by name after <paramref name="prefix"/>
    /// ("layer/"); every variable must have one and every weight must be used.
    /// </summary>
    public static void LoadWeights(IReadOnlyList<Variable> variables, JsonElement weights, string prefix)
    {
        var names = weights.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Order(), variables.Select(v => Key(v, prefix)).Order());
        foreach (var v in variables)
            v.Assign(Tensor64(weights.GetProperty(Key(v, prefix))));
    }

    public static void LoadWeights(Layer layer, JsonElement weights) => LoadWeights(layer.Variables, weights, layer.Name + "/");

    /// <summary>Compares the output with y, and the tape's gradients of sum(y · dy) with every stored gradient.</summary>
    public static void AssertMatches(JsonElement c, Tensor y, GradientTape tape, IReadOnlyDictionary<string, Tensor> inputs,
        IReadOnlyList<Variable> variables, string prefix, double tolerance = 1e-10)
    {
        FixtureFile.AssertClose(c.GetProperty("y").Doubles(), y.ToArray<double>(), tolerance, "y");
        Assert.Equal(c.GetProperty("y_shape").Ints(), y.Shape);
        var dy = Tensor.FromArray(c.GetProperty("dy").Doubles(), y.Shape.ToArray(), null);
        var sources = inputs.Values.Concat(variables).ToArray();
        var grads = tape.Gradient((y * dy).Sum(), sources, UnconnectedGradients.Zero);
        int i = 0;
        foreach (var (name, _) in inputs)
            FixtureFile.AssertClose(c.GetProperty("inputs").GetProperty(name).GetProperty("grad").Doubles(), grads[i++]!.ToArray<double>(), tolerance, $"d{name}");
        foreach (var v in variables)
            FixtureFile.AssertClose(c.GetProperty("weights").GetProperty(Key(v, prefix)).GetProperty("grad").Doubles(), grads[i++]!.ToArray<double>(), tolerance, $"d{v.Name}");
    }

    private static string Key(Variable v, string prefix)
    {
        Assert.StartsWith(prefix, v.Name);
        return v.Name[prefix.Length..];
    }
}
