using System.Text.Json;

namespace Descent.Tests;

/// <summary>Factories: from arrays, scalars, constant fills, ranges, identity, and seeded random tensors.</summary>
[OnEveryDevice]
public class TensorCreationTests
{
    [Fact]
    public void FromArray_without_a_shape_is_one_dimensional()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f, 3f });
        Assert.Equal([3], x.Shape);
        Assert.Equal([1f, 2f, 3f], x.ToArray<float>());
    }

    [Fact]
    public void FromArray_with_a_shape_fills_row_major()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal([2, 3], x.Shape);
        Assert.Equal(DType.Float64, x.DType);
        Assert.Equal(6.0, x[1, 2].Item<double>());
        Assert.Equal(2.0, x[0, 1].Item<double>());
    }

    [Fact]
    public void FromArray_copies_its_input()
    {
        var data = new[] { 1, 2, 3 };
        var x = Tensor.FromArray(data);
        data[0] = 99;
        Assert.Equal([1, 2, 3], x.ToArray<int>());
    }

    [Fact]
    public void FromArray_of_a_2D_array_keeps_rows_and_columns()
    {
        var x = Tensor.FromArray(new long[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal([2, 3], x.Shape);
        Assert.Equal(DType.Int64, x.DType);
        Assert.Equal([1L, 2, 3, 4, 5, 6], x.ToArray<long>());
    }

    [Fact]
    public void Scalars_have_rank_zero_and_their_dtype()
    {
        Assert.Equal((DType.Float32, 0, 1), (Tensor.Scalar(2.5f).DType, Tensor.Scalar(2.5f).Rank, Tensor.Scalar(2.5f).Size));
        Assert.Equal(DType.Float64, Tensor.Scalar(2.5).DType);
        Assert.Equal(DType.Int32, Tensor.Scalar(3).DType);
        Assert.Equal(DType.Int64, Tensor.Scalar(3L).DType);
        Assert.Equal(DType.Bool, Tensor.Scalar(true).DType);
        Assert.Equal(-7L, Tensor.Scalar(-7.0, DType.Int64).Item<long>());
        Assert.Empty(Tensor.Scalar(1.0).Shape);
        Tensor implicitDouble = 0.25;
        Assert.Equal((DType.Float64, 0.25), (implicitDouble.DType, implicitDouble.Item<double>()));
    }

    [Fact]
    public void Zeros_ones_and_full_fill_every_element()
    {
        Assert.All(Tensor.Zeros([2, 3]).ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(Tensor.Ones([4], DType.Int64).ToArray<long>(), v => Assert.Equal(1L, v));
        var full = Tensor.Full([2, 2], -1.5, DType.Float64);
        Assert.Equal([2, 2], full.Shape);
        Assert.Equal([-1.5, -1.5, -1.5, -1.5], full.ToArray<double>());
        Assert.Equal([true, true], Tensor.Ones([2], DType.Bool).ToArray<bool>());
        Assert.Equal(0, Tensor.Zeros([0, 3]).Size);
    }

    [Fact]
    public void ZerosLike_and_OnesLike_copy_shape_and_dtype()
    {
        var x = Tensor.FromArray(new[] { 5, 6, 7, 8, 9, 10 }, 3, 2);
        var z = Tensor.ZerosLike(x);
        var o = Tensor.OnesLike(x.Transpose());
        Assert.Equal(DType.Int32, z.DType);
        Assert.Equal([3, 2], z.Shape);
        Assert.Equal(new int[6], z.ToArray<int>());
        Assert.Equal(DType.Int32, o.DType);
        Assert.Equal([2, 3], o.Shape);
        Assert.All(o.ToArray<int>(), v => Assert.Equal(1, v));
    }

    [Fact]
    public void Arange_counts_like_numpy()
    {
        Assert.Equal([0f, 1, 2, 3, 4], Tensor.Arange(5).ToArray<float>());
        Assert.Equal([2.0, 2.5, 3.0, 3.5], Tensor.Arange(2, 4, 0.5, DType.Float64).ToArray<double>());
        Assert.Equal([5L, 3, 1], Tensor.Arange(5, 0, -2, DType.Int64).ToArray<long>());
        Assert.Equal(0, Tensor.Arange(3, 3).Size);
        Assert.Equal(DType.Int32, Tensor.Arange(3, DType.Int32).DType);
    }

    [Fact]
    public void Linspace_includes_both_ends()
    {
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], Tensor.Linspace(0, 1, 5, DType.Float64).ToArray<double>());
        Assert.Equal([3.0], Tensor.Linspace(3, 9, 1, DType.Float64).ToArray<double>());
        var x = Tensor.Linspace(-1, 2, 7);
        Assert.Equal(DType.Float32, x.DType);
        Assert.Equal(-1f, x.ToArray<float>()[0]);
        Assert.Equal(2f, x.ToArray<float>()[^1]);
    }

    [Fact]
    public void Eye_has_ones_on_the_diagonal()
    {
        Assert.Equal([1f, 0, 0, 0, 1, 0, 0, 0, 1], Tensor.Eye(3).ToArray<float>());
        var rect = Tensor.Eye(2, 3, DType.Int32);
        Assert.Equal([2, 3], rect.Shape);
        Assert.Equal([1, 0, 0, 0, 1, 0], rect.ToArray<int>());
    }

    public static TheoryData<string> RandomKinds => new() { "normal", "uniform", "truncated" };

    private static Tensor Random(string kind, int[] shape, long seed, DType dtype = DType.Float64) => kind switch
    {
        "normal" => Tensor.RandomNormal(shape, new Generator(seed), dtype: dtype),
        "uniform" => Tensor.RandomUniform(shape, new Generator(seed), dtype: dtype),
        _ => Tensor.TruncatedNormal(shape, new Generator(seed), dtype: dtype),
    };

    [Theory]
    [MemberData(nameof(RandomKinds))]
    public void Random_tensors_repeat_for_a_seed_and_differ_for_another(string kind)
    {
        var a = Random(kind, [50], 7).ToArray<double>();
        var b = Random(kind, [50], 7).ToArray<double>();
        var c = Random(kind, [50], 8).ToArray<double>();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(50, a.Distinct().Count());
    }

    [Fact]
    public void RandomNormal_has_the_requested_mean_and_stddev()
    {
        var x = Tensor.RandomNormal([100_000], new Generator(1), mean: 3, stddev: 2, dtype: DType.Float64);
        Assert.Equal([100_000], x.Shape);
        // Standard errors: 2/√n ≈ 0.0063 for the mean, about 0.0045 for the stddev; allow 5 of each.
        Assert.InRange(x.Mean().Item<double>(), 3 - 0.032, 3 + 0.032);
        Assert.InRange(x.Std().Item<double>(), 2 - 0.023, 2 + 0.023);
        // About 68.3% within one stddev.
        double within = Tensor.Less((x - 3.0).Abs(), Tensor.Scalar(2.0)).Cast(DType.Float64).Mean().Item<double>();
        Assert.InRange(within, 0.678, 0.688);
    }

    [Fact]
    public void RandomUniform_stays_in_range_with_the_right_moments()
    {
        var x = Tensor.RandomUniform([100_000], new Generator(2), min: -1, max: 3, dtype: DType.Float64);
        var values = x.ToArray<double>();
        Assert.All(values, v => Assert.InRange(v, -1, 3));
        Assert.True(values.Min() < -0.99 && values.Max() > 2.99);
        Assert.InRange(x.Mean().Item<double>(), 1 - 0.02, 1 + 0.02);
        Assert.InRange(x.Variance().Item<double>(), 16.0 / 12 - 0.02, 16.0 / 12 + 0.02);
    }

    [Fact]
    public void TruncatedNormal_stays_within_two_stddevs()
    {
        var x = Tensor.TruncatedNormal([100_000], new Generator(3), mean: 1, stddev: 0.5, dtype: DType.Float64);
        var values = x.ToArray<double>();
        Assert.All(values, v => Assert.InRange(v, 0.0, 2.0));
        Assert.InRange(x.Mean().Item<double>(), 1 - 0.01, 1 + 0.01);
        // A standard normal truncated to [-2, 2] has variance 1 − 4φ(2)/(Φ(2)−Φ(−2)) ≈ 0.7737.
        Assert.InRange(x.Std().Item<double>(), 0.5 * Math.Sqrt(0.7737) - 0.005, 0.5 * Math.Sqrt(0.7737) + 0.005);
        // Values reach near the bounds, so the truncation is not narrower than two stddevs.
        Assert.True(values.Min() < 0.05 && values.Max() > 1.95);
    }

    [Fact]
    public void Random_float32_rounds_the_float64_stream()
    {
        var f32 = Tensor.RandomNormal([10], new Generator(5)).ToArray<float>();
        var f64 = Tensor.RandomNormal([10], new Generator(5), dtype: DType.Float64).ToArray<double>();
        Assert.Equal(f64.Select(v => (float)v), f32);
    }

    [Fact]
    public void Generator_matches_the_independent_python_reference()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "generator_reference.json")));
        var root = json.RootElement;
        var g = new Generator(root.GetProperty("seed").GetInt64());
        foreach (var expected in root.GetProperty("next_uint64").EnumerateArray())
            Assert.Equal(ulong.Parse(expected.GetString()!, System.Globalization.CultureInfo.InvariantCulture), g.NextUInt64());
        foreach (var expected in root.GetProperty("next_double").EnumerateArray())
            Assert.Equal(expected.GetDouble(), g.NextDouble());
        // Box–Muller goes through Log and Cos, whose last bit may differ between libraries.
        foreach (var expected in root.GetProperty("next_normal").EnumerateArray())
            Assert.Equal(expected.GetDouble(), g.NextNormal(), 1e-14);
    }

    [Fact]
    public void Philox_matches_the_random123_known_answers()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "generator_reference.json")));
        foreach (var kat in json.RootElement.GetProperty("kat").EnumerateArray())
        {
            uint[] c = [.. kat.GetProperty("counter").EnumerateArray().Select(e => e.GetUInt32())];
            uint[] k = [.. kat.GetProperty("key").EnumerateArray().Select(e => e.GetUInt32())];
            uint[] r = [.. kat.GetProperty("result").EnumerateArray().Select(e => e.GetUInt32())];
            var (r0, r1, r2, r3) = Descent.Backends.Philox.Block(c[0], c[1], c[2], c[3], ((ulong)k[1] << 32) | k[0]);
            Assert.Equal(r, new[] { r0, r1, r2, r3 });
        }
    }

    [Fact]
    public void A_seed_gives_the_same_tensor_as_a_generator_with_that_seed()
    {
        var a = Tensor.RandomNormal([3, 4], seed: 11).ToArray<float>();
        var b = Tensor.RandomNormal([3, 4], new Generator(11)).ToArray<float>();
        Assert.Equal(a, b);
        Assert.NotEqual(a, Tensor.RandomNormal([3, 4], seed: 12).ToArray<float>());
    }
}
