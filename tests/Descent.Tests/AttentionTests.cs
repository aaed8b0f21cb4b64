using static Descent.Tests.AttentionOpsFixture;

namespace Descent.Tests;

[OnEveryDevice]
public class AttentionTests
{
    public static IEnumerable<object[]> Cases => Indices("attention");

    private static (Tensor Q, Tensor K, Tensor V, Tensor? Mask, bool Causal, double? Scale) Inputs(System.Text.Json.JsonElement c)
    {
        var q = Tensor64(c.GetProperty("q"), c.GetProperty("q_shape"));
        var k = Tensor64(c.GetProperty("k"), c.GetProperty("k_shape"));
        var v = Tensor64(c.GetProperty("v"), c.GetProperty("v_shape"));
        Tensor? mask = c.GetProperty("mask").ValueKind == System.Text.Json.JsonValueKind.Null ? null
            : Tensor.NotEqual(Tensor.FromArray(c.GetProperty("mask").Ints(), c.GetProperty("mask_shape").Ints(), null), Tensor.Scalar(0, DType.Int32));
        double? scale = c.GetProperty("scale").ValueKind == System.Text.Json.JsonValueKind.Null ? null : c.GetProperty("scale").GetDouble();
        return (q, k, v, mask, c.GetProperty("causal").GetBoolean(), scale);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_weights_and_gradients_match_pytorch(int index)
    {
        var c = Case("attention", index);
        string name = c.GetProperty("name").GetString()!;
        var (q, k, v, mask, causal, scale) = Inputs(c);
        int[] yShape = c.GetProperty("y_shape").Ints();
        var dy = Tensor.FromArray(c.GetProperty("dy").Doubles(), yShape, null);
        using (var tape = new GradientTape())
        {
            tape.Watch([q, k, v]);
            var y = Tensor.ScaledDotProductAttention(q, k, v, mask, causal, scale: scale);
            Check.Close(yShape, c.GetProperty("y").Doubles(), y, 1e-12, name);
            var g = tape.Gradient((y * dy).Sum(), [q, k, v]);
            Check.Close(q.Shape.ToArray(), c.GetProperty("dq").Doubles(), g[0]!, 1e-12, $"{name}: dq");
            Check.Close(k.Shape.ToArray(), c.GetProperty("dk").Doubles(), g[1]!, 1e-12, $"{name}: dk");
            Check.Close(v.Shape.ToArray(), c.GetProperty("dv").Doubles(), g[2]!, 1e-12, $"{name}: dv");
        }
        using (var tape = new GradientTape())
        {
            // The weights are an output too: a loss that reads them sends gradients through them to q and k.
            tape.Watch([q, k, v]);
            var (y, w) = Tensor.ScaledDotProductAttentionWithWeights(q, k, v, mask, causal, scale: scale);
            Check.Close(c.GetProperty("weights").Doubles(), w.ToArray<double>(), 1e-12, $"{name}: weights");
            var dw = Tensor.FromArray(c.GetProperty("dw").Doubles(), w.Shape.ToArray(), null);
            var g = tape.Gradient((y * dy).Sum() + (w * dw).Sum(), [q, k, v]);
            Check.Close(c.GetProperty("dq_with_weights").Doubles(), g[0]!.ToArray<double>(), 1e-12, $"{name}: dq through weights");
            Check.Close(c.GetProperty("dk_with_weights").Doubles(), g[1]!.ToArray<double>(), 1e-12, $"{name}: dk through weights");
            Check.Close(c.GetProperty("dv_with_weights").Doubles(), g[2]!.ToArray<double>(), 1e-12, $"{name}: dv through weights");
        }
    }

    [Fact]
    public void Hidden_keys_get_exactly_zero_weight_and_zero_gradient()
    {
        var g = new Generator(3);
        var q = Tensor.RandomNormal([1, 3, 2], g, dtype: DType.Float64);
        var k = Tensor.RandomNormal([1, 3, 2], g, dtype: DType.Float64);
        var v = Tensor.RandomNormal([1, 3, 2], g, dtype: DType.Float64);
        // Key 1 hidden from every query; query 2 also sees nothing else after the causal triangle... except itself.
        var mask = Tensor.FromArray(new[] { true, false, true }, 1, 1, 3);
        using var tape = new GradientTape();
        tape.Watch(k);
        var (_, w) = Tensor.ScaledDotProductAttentionWithWeights(q, k, v, mask, causal: true);
        var weights = w.ToArray<double>();
        Assert.Equal([1.0, 0, 0], weights[0..3]);           // query 0 sees key 0 only
        Assert.Equal([1.0, 0, 0], weights[3..6]);           // query 1: key 1 hidden, key 2 in the future
        Assert.Equal(0.0, weights[7]);                      // query 2: key 1 hidden
        var dk = tape.Gradient((w * Tensor.RandomNormal([1, 3, 3], g, dtype: DType.Float64)).Sum(), k)!.ToArray<double>();
        Assert.Equal([0.0, 0.0], dk[2..4]);                 // key 1: hidden everywhere, so no gradient at all
    }

    [Fact]
    public void A_query_that_may_see_nothing_gets_zero_weights_and_a_zero_output()
    {
        var x = Tensor.RandomNormal([2, 3], new Generator(4), dtype: DType.Float64);
        var visible = Tensor.FromArray(new[] { false, false, true, true }, 2, 2); // query 0 sees nothing
        using var tape = new GradientTape();
        tape.Watch(x);
        var (y, w) = Tensor.ScaledDotProductAttentionWithWeights(x, x, x, visible);
        Assert.Equal([0.0, 0, 0], y.ToArray<double>()[0..3]);
        Assert.Equal([0.0, 0], w.ToArray<double>()[0..2]);
        Assert.All(tape.Gradient(y.Sum(), x)!.ToArray<double>(), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void Dropout_drops_weights_at_its_rate_from_its_generator_and_the_gradient_uses_the_same_mask()
    {
        var g = new Generator(5);
        var q = Tensor.RandomNormal([4, 8, 4], g, dtype: DType.Float64);
        var k = Tensor.RandomNormal([4, 8, 4], g, dtype: DType.Float64);
        // The identity as values: the output rows are the dropped, rescaled weights themselves.
        var v = Tensor.Eye(8, dtype: DType.Float64).BroadcastTo(4, 8, 8);
        var (y, w) = Tensor.ScaledDotProductAttentionWithWeights(q, k, v, dropout: 0.5, generator: new Generator(9));
        var out_ = y.ToArray<double>();
        var weights = w.ToArray<double>();
        int dropped = 0;
        for (int i = 0; i < out_.Length; i++)
        {
            if (out_[i] == 0) dropped++;
            else Assert.Equal(2 * weights[i], out_[i], 12);
        }
        Assert.InRange(dropped, 256 * 0.4, 256 * 0.6);
        var again = Tensor.ScaledDotProductAttention(q, k, v, dropout: 0.5, generator: new Generator(9));
        Assert.Equal(out_, again.ToArray<double>());
        var check = GradientCheck.Run(t => Tensor.ScaledDotProductAttention(t[0], t[1], t[2], dropout: 0.5, generator: new Generator(9)), [q[..1, ..3], k[..1, ..3], v[..1, ..3, ..3]]);
        Assert.True(check.Passed, check.ToString());
    }

    [Fact]
    public void Bad_arguments_name_the_op_and_what_was_wrong()
    {
        var x = Tensor.Zeros(2, 3);
        var e = Assert.Throws<ArgumentException>(() => Tensor.ScaledDotProductAttention(x, Tensor.Zeros(2, 4), x));
        Assert.Contains("ScaledDotProductAttention: expects query [..., Tq, d], key [..., Tk, d] and value [..., Tk, dv], got [2,3], [2,4] and [2,3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.ScaledDotProductAttention(x, x, x, Tensor.Ones(2, 2)));
        Assert.Contains("the mask must be bool", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.ScaledDotProductAttention(x, x, x, Tensor.Ones([3, 2], DType.Bool)));
        Assert.Contains("does not broadcast to the scores [2,2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.ScaledDotProductAttention(x, x, x, dropout: 0.1));
        Assert.Contains("needs a generator", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.ScaledDotProductAttention(x, x, x, dropout: 1));
        Assert.Contains("dropout must be in [0, 1)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.ScaledDotProductAttention(Tensor.Zeros([2, 3], DType.Int32), x, x));
        Assert.Contains("ScaledDotProductAttention: expects a float32 or float64 tensor", e.Message);
    }
}
