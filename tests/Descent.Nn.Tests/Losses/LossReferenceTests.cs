using System.Text.Json;
using Descent.Nn.Losses;

namespace Descent.Nn.Tests.Losses;

/// <summary>Per-sample losses against Fixtures/losses.py (NumPy after Keras 3, cross-checked with torch).</summary>
[OnEveryDevice]
public class LossReferenceTests
{
    private static readonly JsonElement[] Cases = FixtureFile.Load("losses.json").GetProperty("cases").EnumerateArray().ToArray();

    public static TheoryData<int, string> CaseIndices()
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < Cases.Length; i++)
        {
            data.Add(i, "float64");
            if (!Cases[i].TryGetProperty("float64_only", out _)) data.Add(i, "float32");
        }
        return data;
    }

    internal static Tensor Matrix(JsonElement e, DType dtype)
    {
        var rows = e.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.Array ? r.Doubles() : [r.GetDouble()]).ToArray();
        var t = Tensor.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length).Cast(dtype);
        return e[0].ValueKind == JsonValueKind.Array ? t : t.Reshape(rows.Length);
    }

    private static double Option(JsonElement c, string key, double fallback) => c.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Per_sample_losses_match_the_reference(int index, string dtype)
    {
        var c = Cases[index];
        var dt = dtype == "float64" ? DType.Float64 : DType.Float32;
        var yPred = Matrix(c.GetProperty("y_pred"), dt);
        bool logits = c.TryGetProperty("from_logits", out var f) && f.GetBoolean();
        double smoothing = Option(c, "label_smoothing", 0);
        string loss = c.GetProperty("loss").GetString()!;
        var yTrue = Matrix(c.GetProperty("y_true"), loss == "scce" ? DType.Int32 : dt);

        var actual = loss switch
        {
            "mse" => LossFunctions.MeanSquaredError(yTrue, yPred),
            "mae" => LossFunctions.MeanAbsoluteError(yTrue, yPred),
            "huber" => LossFunctions.Huber(yTrue, yPred, Option(c, "delta", 1)),
            "bce" => LossFunctions.BinaryCrossentropy(yTrue, yPred, logits, smoothing),
            "cce" => LossFunctions.CategoricalCrossentropy(yTrue, yPred, logits, smoothing),
            "scce" => LossFunctions.SparseCategoricalCrossentropy(yTrue, yPred, logits),
            "kld" => LossFunctions.KLDivergence(yTrue, yPred),
            _ => throw new ArgumentException(loss),
        };

        Assert.Equal(dt, actual.DType);
        Assert.Equal([yPred.Shape[0]], actual.Shape);
        // float32 inputs are the float64 values rounded, and the clip bound 1 − 1e-7 rounds too: allow 1e-5.
        FixtureFile.AssertClose(c.GetProperty("expected").Doubles(), actual.ToArray<double>(), dt == DType.Float64 ? 1e-12 : 1e-5, $"case {index} ({loss})");
    }
}
