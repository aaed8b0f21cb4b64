using System.Text.Json;

namespace Descent.Tests;

/// <summary>Fixtures/attention_ops.json, made by Fixtures/attention_ops.py with PyTorch in float64.</summary>
internal static class AttentionOpsFixture
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "attention_ops.json"))).RootElement.Clone());

    /// <summary>The indices of the cases of one kind, as theory data.</summary>
    public static IEnumerable<object[]> Indices(string kind) =>
        Enumerable.Range(0, Root.Value.GetProperty(kind).GetArrayLength()).Select(i => new object[] { i });

    public static JsonElement Case(string kind, int index) => Root.Value.GetProperty(kind)[index];

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    /// <summary>A float64 tensor on the default device from a flat list and a shape.</summary>
    public static Tensor Tensor64(JsonElement values, JsonElement shape) => Tensor.FromArray(values.Doubles(), shape.Ints(), null);
}
