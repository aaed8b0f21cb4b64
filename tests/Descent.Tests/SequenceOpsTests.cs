using static Descent.Tests.AttentionOpsFixture;

namespace Descent.Tests;

/// <summary>Masked softmax, band parts and triangles, running sums and top-k.</summary>
[OnEveryDevice]
public class SequenceOpsTests
{
    public static IEnumerable<object[]> CumsumCases => Indices("cumsum");

    public static IEnumerable<object[]> TopKCases => Indices("topk");

    [Fact]
    public void Masked_softmax_gives_masked_entries_exactly_zero_probability_and_gradient()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2, 3, -1, 0.5, 4 }, 2, 3);
        var mask = Tensor.FromArray(new[] { true, false, true, false, false, false }, 2, 3);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = x.MaskedSoftmax(mask);
        double e1 = Math.Exp(1 - 3), e3 = 1;
        // Row 0 is the softmax of {1, 3}; row 1 keeps nothing and is all zeros, not NaN.
        Check.Close([2, 3], [e1 / (e1 + e3), 0, e3 / (e1 + e3), 0, 0, 0], y, 1e-15);
        var dx = tape.Gradient((y * Tensor.FromArray(new[] { 0.3, 5.0, -1, 2, 2, 2 }, 2, 3)).Sum(), x)!.ToArray<double>();
        Assert.Equal(0.0, dx[1]);
        Assert.Equal([0.0, 0, 0], dx[3..6]);
        Assert.NotEqual(0.0, dx[0]);
        Assert.Equal(-dx[2], dx[0], 14); // the kept probabilities sum to 1, so their gradients cancel
    }

    [Fact]
    public void Masked_softmax_with_everything_kept_is_softmax_and_the_mask_broadcasts()
    {
        var x = Tensor.RandomNormal([2, 3, 4], new Generator(6), dtype: DType.Float64);
        Check.Close(x.Softmax(-1).ToArray<double>(), x.MaskedSoftmax(Tensor.Ones([4], DType.Bool)).ToArray<double>(), 1e-15);
        var e = Assert.Throws<ArgumentException>(() => x.MaskedSoftmax(Tensor.Ones([4])));
        Assert.Contains("MaskedSoftmax: the mask must be bool", e.Message);
        e = Assert.Throws<ArgumentException>(() => x.MaskedSoftmax(Tensor.Ones([5, 2, 3, 4], DType.Bool)));
        Assert.Contains("must broadcast to the input [2,3,4], not widen it", e.Message);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 0)]
    [InlineData(1, -1)]
    [InlineData(1, 2)]
    [InlineData(-1, -1)]
    public void BandPart_keeps_what_tf_band_part_keeps(int lower, int upper)
    {
        var x = Tensor.Arange(1, 2 * 3 * 4 + 1, dtype: DType.Float64).Reshape(2, 3, 4);
        var expected = new double[24];
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++)
                {
                    bool keep = (lower < 0 || i - j <= lower) && (upper < 0 || j - i <= upper);
                    expected[b * 12 + i * 4 + j] = keep ? b * 12 + i * 4 + j + 1 : 0;
                }
        Check.Close([2, 3, 4], expected, x.BandPart(lower, upper), 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-2)]
    public void Tril_and_triu_split_a_matrix_at_their_diagonal(int diagonal)
    {
        var x = Tensor.Arange(1, 13, dtype: DType.Float64).Reshape(3, 4);
        var lower = x.Tril(diagonal).ToArray<double>();
        var upper = x.Triu(diagonal + 1).ToArray<double>();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
            {
                double value = i * 4 + j + 1;
                Assert.Equal(j - i <= diagonal ? value : 0, lower[i * 4 + j]);
                Assert.Equal(j - i > diagonal ? value : 0, upper[i * 4 + j]);
            }
        // A bool lower triangle is the causal mask.
        Assert.Equal([true, false, true, true], Tensor.Ones([2, 2], DType.Bool).Tril().ToArray<bool>());
        Assert.Contains("Tril: needs at least two axes", Assert.Throws<ArgumentException>(() => Tensor.Ones(3).Tril()).Message);
    }

    [Theory]
    [MemberData(nameof(CumsumCases))]
    public void Cumsum_matches_pytorch_with_tf_options(int index)
    {
        var c = Case("cumsum", index);
        int[] shape = c.GetProperty("shape").Ints();
        var x = Tensor.FromArray(c.GetProperty("x").Doubles(), shape, null);
        int axis = c.GetProperty("axis").GetInt32();
        bool exclusive = c.GetProperty("exclusive").GetBoolean(), reverse = c.GetProperty("reverse").GetBoolean();
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = x.Cumsum(axis, exclusive, reverse);
        Check.Close(shape, c.GetProperty("y").Doubles(), y, 1e-13);
        var dx = tape.Gradient((y * Tensor.FromArray(c.GetProperty("dy").Doubles(), shape, null)).Sum(), x)!;
        Check.Close(shape, c.GetProperty("dx").Doubles(), dx, 1e-13);
    }

    [Fact]
    public void Cumsum_sums_integers_exactly()
    {
        var x = Tensor.FromArray(new[] { 1, 2, 3, 4, 5, 6, 7 });
        Assert.Equal([1, 3, 6, 10, 15, 21, 28], x.Cumsum().ToArray<int>());
        Assert.Equal([0, 1, 3, 6, 10, 15, 21], x.Cumsum(exclusive: true).ToArray<int>());
        Assert.Equal([28, 27, 25, 22, 18, 13, 7], x.Cumsum(reverse: true).ToArray<int>());
        Assert.Contains("Cumsum: not defined for bool", Assert.Throws<ArgumentException>(() => Tensor.Ones([2], DType.Bool).Cumsum()).Message);
    }

    [Theory]
    [MemberData(nameof(TopKCases))]
    public void TopK_matches_torch_topk(int index)
    {
        var c = Case("topk", index);
        int[] shape = c.GetProperty("shape").Ints();
        int k = c.GetProperty("k").GetInt32();
        var x = Tensor.FromArray(c.GetProperty("x").Doubles(), shape, null);
        using var tape = new GradientTape();
        tape.Watch(x);
        var (values, indices) = x.TopK(k);
        int[] outShape = [.. shape[..^1], k];
        Check.Close(outShape, c.GetProperty("values").Doubles(), values, 0);
        Assert.Equal(DType.Int64, indices.DType);
        Assert.Equal(c.GetProperty("indices").Ints().Select(i => (long)i), indices.ToArray<long>());
        var dx = tape.Gradient((values * Tensor.FromArray(c.GetProperty("dy").Doubles(), outShape, null)).Sum(), x)!;
        Check.Close(shape, c.GetProperty("dx").Doubles(), dx, 1e-15);
    }

    [Fact]
    public void TopK_puts_ties_in_index_order_and_NaN_first()
    {
        var (values, indices) = Tensor.FromArray(new[] { 2.0, 5, 2, double.NaN, 5, double.NegativeInfinity }).TopK(6);
        Assert.Equal([3L, 1, 4, 0, 2, 5], indices.ToArray<long>());
        var v = values.ToArray<double>();
        Assert.True(double.IsNaN(v[0]));
        Assert.Equal([5.0, 5, 2, 2, double.NegativeInfinity], v[1..]);
        var (ints, _) = Tensor.FromArray(new[] { 3, 9, 1 }).TopK(2);
        Assert.Equal([9, 3], ints.ToArray<int>());
        var e = Assert.Throws<ArgumentException>(() => Tensor.Ones(3).TopK(4));
        Assert.Contains("TopK: k = 4 is outside [0, 3]", e.Message);
    }
}
