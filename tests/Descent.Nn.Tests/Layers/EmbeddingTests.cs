using Descent.Nn.Layers;
using static Descent.Nn.Tests.Layers.LayerTesting;

namespace Descent.Nn.Tests.Layers;

[OnEveryDevice]
public class EmbeddingTests
{
    [Fact]
    public void Ids_pick_rows_of_the_table()
    {
        var emb = new Embedding(5, 3) { DType = DType.Float64 };
        emb.Build([2]);
        var table = emb.Embeddings!.ToArray<double>();
        var y = emb.Call(Tensor.FromArray(new[] { 4, 0, 2, 2 }, 2, 2));

        Assert.Equal([2, 2, 3], y.Shape);
        Assert.Equal([2, 3], emb.ComputeOutputShape([2]));
        AssertClose([.. table[12..15], .. table[0..3], .. table[6..9], .. table[6..9]], y, 0);
    }

    [Fact]
    public void Table_starts_uniform_in_plus_minus_0_05()
    {
        var emb = new Embedding(50, 40);
        emb.Build([1], new Generator(3));
        var v = emb.Embeddings!.ToArray<float>();
        Assert.All(v, x => Assert.InRange(x, -0.05f, 0.05f));
        Assert.True(v.Max() > 0.049f && v.Min() < -0.049f);
    }

    [Fact]
    public void Float_ids_are_truncated_like_keras_casts()
    {
        var emb = new Embedding(4, 2) { DType = DType.Float64 };
        var y = emb.Call(Tensor.FromArray(new double[] { 3, 1 }, 2, 1));
        AssertClose([.. emb.Embeddings!.ToArray<double>()[6..8], .. emb.Embeddings.ToArray<double>()[2..4]], y, 0);
    }

    [Fact]
    public void Gradients_w_r_t_the_table_match() =>
        AssertGradientsMatch(new Embedding(4, 3), Tensor.FromArray(new long[] { 1, 3, 1, 0, 2, 1 }, 2, 3));

    [Fact]
    public void Out_of_range_id_names_the_layer()
    {
        // Read back: an asynchronous device (cuda) reports a failed range check at its next download.
        var e = Assert.Throws<ArgumentException>(() => new Embedding(3, 2, name: "emb").Call(Tensor.FromArray(new[] { 0, 3 }, 2, 1)).ToArray<float>());
        Assert.Contains("Embedding 'emb': id 3 is outside [0, 3)", e.Message);
        Assert.Throws<ArgumentException>(() => new Embedding(0, 2));
    }
}
