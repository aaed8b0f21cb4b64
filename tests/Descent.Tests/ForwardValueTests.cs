namespace Descent.Tests;

/// <summary>Forward values of the ops in float32 and float64 against closed forms computed with Math.</summary>
[OnEveryDevice]
public class ForwardValueTests
{
    private static Tensor T(DType dtype, double[] values, params int[] shape) =>
        Tensor.FromArray(values, shape.Length == 0 ? [values.Length] : shape).Cast(dtype);

    private static readonly double[] Mixed = [-3.5, -1, -0.3, 0, 0.25, 1, 2.7];
    private static readonly double[] Positive = [0.1, 0.5, 1, 2, 9.5];

    /// <summary>erf by Simpson's rule on 2/√π·e^(−t²): a reference independent of the library's series.</summary>
    private static double Erf(double x)
    {
        const int N = 20_000;
        double h = x / N, sum = 1 + Math.Exp(-x * x);
        for (int i = 1; i < N; i++) sum += (i % 2 == 1 ? 4 : 2) * Math.Exp(-(i * h) * (i * h));
        return 2 / Math.Sqrt(Math.PI) * sum * h / 3;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static readonly Dictionary<string, (Func<Tensor, Tensor> Op, Func<double, double> Reference, double[] Inputs)> Unary = new()
    {
        ["square"] = (x => x.Square(), x => x * x, Mixed),
        ["sqrt"] = (x => x.Sqrt(), Math.Sqrt, Positive),
        ["rsqrt"] = (x => x.Rsqrt(), x => 1 / Math.Sqrt(x), Positive),
        ["exp"] = (x => x.Exp(), Math.Exp, Mixed),
        ["log"] = (x => x.Log(), Math.Log, Positive),
        ["log1p"] = (x => x.Log1p(), x => Math.Log(1 + x), [-0.5, 0, 0.3, 5]),
        ["log1p of tiny values"] = (x => x.Log1p(), x => x - x * x / 2, [1e-10, -3e-9]),
        ["abs"] = (x => x.Abs(), Math.Abs, Mixed),
        ["sign"] = (x => x.Sign(), x => Math.Sign(x), Mixed),
        ["negate"] = (x => -x, x => -x, Mixed),
        ["sin"] = (x => x.Sin(), Math.Sin, Mixed),
        ["cos"] = (x => x.Cos(), Math.Cos, Mixed),
        ["erf"] = (x => x.Erf(), Erf, [-3, -2.6, -1, -0.2, 0, 0.5, 1.3, 2.4, 2.5, 3.5]),
        ["sigmoid"] = (x => x.Sigmoid(), Sigmoid, [-30, -3.5, -1, 0, 0.25, 2.7, 30]),
        ["tanh"] = (x => x.Tanh(), Math.Tanh, [-20, -1, -0.3, 0, 0.25, 2.7]),
        ["relu"] = (x => x.Relu(), x => Math.Max(x, 0), Mixed),
        ["floor"] = (x => x.Floor(), Math.Floor, [-3.5, -1, -0.3, 0, 0.25, 2.7]),
        ["round halves to even"] = (x => x.Round(), x => Math.Round(x, MidpointRounding.ToEven), [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.7, -0.3]),
        ["leaky relu default alpha 0.2"] = (x => x.LeakyRelu(), x => x > 0 ? x : 0.2 * x, Mixed),
        ["leaky relu alpha 0.01"] = (x => x.LeakyRelu(0.01), x => x > 0 ? x : 0.01 * x, Mixed),
        ["elu"] = (x => x.Elu(), x => x > 0 ? x : Math.Exp(x) - 1, Mixed),
        ["elu alpha 0.5"] = (x => x.Elu(0.5), x => x > 0 ? x : 0.5 * (Math.Exp(x) - 1), Mixed),
        ["gelu exact"] = (x => x.Gelu(), x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))), Mixed),
        ["gelu tanh approximation"] = (x => x.Gelu(approximate: true),
            x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), Mixed),
        ["softplus"] = (x => x.Softplus(), x => Math.Log(1 + Math.Exp(x)), Mixed),
        ["softplus without overflow"] = (x => x.Softplus(), x => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Exp(x), [-200, -50, 50, 200]),
        ["pow scalar exponent"] = (x => x.Pow(2.5), x => Math.Pow(x, 2.5), Positive),
        ["pow negative exponent"] = (x => x.Pow(-1), x => 1 / x, Positive),
        ["clip"] = (x => x.Clip(-1, 0.5), x => Math.Clamp(x, -1, 0.5), Mixed),
        ["add scalar"] = (x => x + 2.0, x => x + 2, Mixed),
        ["scalar minus"] = (x => 2.0 - x, x => 2 - x, Mixed),
        ["times scalar"] = (x => x * -3.0, x => x * -3, Mixed),
        ["scalar divided by"] = (x => 1.0 / x, x => 1 / x, Positive),
        ["divided by scalar"] = (x => x / 4.0, x => x / 4, Mixed),
        ["stop gradient"] = (x => x.StopGradient(), x => x, Mixed),
    };

    public static IEnumerable<object[]> UnaryCases() =>
        from name in Unary.Keys from dtype in new[] { DType.Float32, DType.Float64 } select new object[] { name, dtype };

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void Unary_op_matches_its_closed_form(string name, DType dtype)
    {
        var (op, reference, inputs) = Unary[name];
        var x = T(dtype, inputs);
        var y = op(x);
        Assert.Equal(dtype, y.DType);
        var expected = x.ToArray<double>().Select(reference).ToArray();
        Check.Close([inputs.Length], expected, y, Check.Tolerance(dtype), name);
        // A strided view gives the same values.
        var strided = op(T(dtype, [.. inputs, .. inputs], 2, inputs.Length).Transpose())[.., 1];
        Check.Close([inputs.Length], expected, strided, Check.Tolerance(dtype), name + " (strided)");
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Pow_Maximum_and_Minimum_broadcast(DType dtype)
    {
        var a = T(dtype, [0.5, 1, 2, 3, 4, 9], 2, 3);
        var b = T(dtype, [2, -0.5, 1.5]);
        double[] av = [0.5, 1, 2, 3, 4, 9], bv = [2, -0.5, 1.5];
        var idx = Enumerable.Range(0, 6);
        Check.Close([2, 3], idx.Select(i => Math.Pow(av[i], bv[i % 3])).ToArray(), Tensor.Pow(a, b), Check.Tolerance(dtype), "pow");
        Check.Close([2, 3], idx.Select(i => Math.Max(av[i], bv[i % 3])).ToArray(), Tensor.Maximum(a, b), 0, "maximum");
        Check.Close([2, 3], idx.Select(i => Math.Min(av[i], bv[i % 3])).ToArray(), Tensor.Minimum(b, a), 0, "minimum");
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Binary_ops_broadcast_as_numpy(DType dtype)
    {
        var col = T(dtype, [1, 2, 3], 3, 1);
        var row = T(dtype, [10, 20, 30, 40]);
        var expected = new double[12];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) expected[i * 4 + j] = (i + 1) + (j + 1) * 10;
        Check.Close([3, 4], expected, col + row, 0, "add");
        Check.Close([3, 4], expected.Select(v => -v).ToArray(), -(row + col), 0, "add reversed");
        var product = col * row;
        Assert.Equal([3, 4], product.Shape);
        Assert.Equal(3 * 40.0, product[2, 3].Item<double>());
        Check.Close([3, 4], [.. from i in new[] { 1.0, 2, 3 } from j in new[] { 10.0, 20, 30, 40 } select i - j], col - row, 0, "subtract");
        Check.Close([3, 4], [.. from i in new[] { 1.0, 2, 3 } from j in new[] { 10.0, 20, 30, 40 } select i / j], col / row, Check.Tolerance(dtype), "divide");
        // [2,1,3] with [4,1] gives [2,4,3].
        Assert.Equal([2, 4, 3], (T(dtype, new double[6], 2, 1, 3) * T(dtype, new double[4], 4, 1)).Shape);
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void A_scalar_tensor_broadcasts_on_either_side(DType dtype)
    {
        var x = T(dtype, [1, 2, 3, 4], 2, 2);
        var s = Tensor.Scalar(10, dtype);
        Check.Close([2, 2], [11, 12, 13, 14], x + s, 0, "x + s");
        Check.Close([2, 2], [9, 8, 7, 6], s - x, 0, "s - x");
        Check.Close([2, 2], [10, 5, 10.0 / 3, 2.5], s / x, Check.Tolerance(dtype), "s / x");
        Check.Close([2, 2], [0.1, 0.2, 0.3, 0.4], x / s, Check.Tolerance(dtype), "x / s");
        Assert.Empty((s * s).Shape);
        Assert.Equal(dtype, (x * 2.0).DType);
    }

    private static double[] NaiveMatMul(double[] a, double[] b, int batch, int m, int k, int n, Func<int, int> aBatch, Func<int, int> bBatch)
    {
        var y = new double[batch * m * n];
        for (int t = 0; t < batch; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[aBatch(t) * m * k + i * k + p] * b[bBatch(t) * k * n + p * n + j];
                    y[(t * m + i) * n + j] = s;
                }
        return y;
    }

    private static double[] Values(int n, double scale) => Enumerable.Range(0, n).Select(i => Math.Sin(i * 1.7 + scale) * scale).ToArray();

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void MatMul_of_matrices_and_transposes(DType dtype)
    {
        double[] a = Values(12, 1), b = Values(20, 2);
        var expected = NaiveMatMul(a, b, 1, 3, 4, 5, _ => 0, _ => 0);
        var ta = T(dtype, a, 3, 4);
        var tb = T(dtype, b, 4, 5);
        double tol = 4 * Check.Tolerance(dtype);
        Check.Close([3, 5], expected, Tensor.MatMul(ta, tb), tol, "a@b");
        Check.Close([3, 5], expected, ta.MatMul(tb), tol, "a.MatMul(b)");
        var aT = ta.Transpose().Contiguous();
        var bT = tb.Transpose().Contiguous();
        Check.Close([3, 5], expected, Tensor.MatMul(aT, tb, transposeA: true), tol, "transposeA");
        Check.Close([3, 5], expected, Tensor.MatMul(ta, bT, transposeB: true), tol, "transposeB");
        Check.Close([3, 5], expected, Tensor.MatMul(aT, bT, transposeA: true, transposeB: true), tol, "both");
        Check.Close([3, 5], expected, Tensor.MatMul(aT.Transpose(), bT.Transpose()), tol, "strided views");
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void MatMul_broadcasts_batch_axes(DType dtype)
    {
        // [2,1,3,4] @ [3,4,2] -> [2,3,3,2]: batch (i, j) uses a[i] and b[j].
        double[] a = Values(2 * 3 * 4, 1), b = Values(3 * 4 * 2, 2);
        var expected = NaiveMatMul(a, b, 6, 3, 4, 2, t => t / 3, t => t % 3);
        Check.Close([2, 3, 3, 2], expected, Tensor.MatMul(T(dtype, a, 2, 1, 3, 4), T(dtype, b, 3, 4, 2)), 4 * Check.Tolerance(dtype));
        // A 2-D operand broadcasts against a batch.
        var shared = NaiveMatMul(a, b, 2, 3, 4, 2, t => t, _ => 0);
        Check.Close([2, 3, 2], shared, Tensor.MatMul(T(dtype, a, 2, 3, 4), T(dtype, b[..8], 4, 2)), 4 * Check.Tolerance(dtype));
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void MatMul_with_vectors_drops_their_axis(DType dtype)
    {
        double[] v = [1, 2, 3], m = [1, 0, 2, -1, 3, 1]; // m is [3,2] or [2,3]
        Check.Close([2], [1 * 1 + 2 * 2 + 3 * 3, 0 - 2 + 3], Tensor.MatMul(T(dtype, v), T(dtype, m, 3, 2)), 0, "vector @ matrix");
        Check.Close([2], [1 + 0 + 6, -1 + 6 + 3], Tensor.MatMul(T(dtype, m, 2, 3), T(dtype, v)), 0, "matrix @ vector");
        Check.Close([], [14], Tensor.MatMul(T(dtype, v), T(dtype, v)), 0, "vector @ vector");
        Check.Close([2, 2], [7, 8, 7, 8], Tensor.MatMul(T(dtype, [.. m, .. m], 2, 2, 3), T(dtype, v)), 0, "batched matrix @ vector");
    }

    /// <summary>Reduces row-major <paramref name="data"/> of <paramref name="shape"/> over <paramref name="axes"/> with <paramref name="f"/>.</summary>
    private static double[] NaiveReduce(double[] data, int[] shape, int[] axes, Func<List<double>, double> f)
    {
        var groups = new SortedDictionary<long, List<double>>();
        for (int flat = 0; flat < data.Length; flat++)
        {
            long key = 0;
            for (int axis = 0, rest = flat, stride = data.Length; axis < shape.Length; axis++)
            {
                stride /= shape[axis];
                int i = rest / stride;
                rest %= stride;
                if (!axes.Contains(axis)) key = key * shape[axis] + i;
            }
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(data[flat]);
        }
        return groups.Values.Select(f).ToArray();
    }

    private static double Variance(List<double> v)
    {
        double mean = v.Average();
        return v.Sum(x => (x - mean) * (x - mean)) / v.Count;
    }

    public static readonly Dictionary<string, (Func<Tensor, int[]?, bool, Tensor> Op, Func<List<double>, double> Reference)> Reductions = new()
    {
        ["sum"] = ((x, a, k) => x.Sum(a, k), v => v.Sum()),
        ["mean"] = ((x, a, k) => x.Mean(a, k), v => v.Average()),
        ["max"] = ((x, a, k) => x.Max(a, k), v => v.Max()),
        ["min"] = ((x, a, k) => x.Min(a, k), v => v.Min()),
        ["variance"] = ((x, a, k) => x.Variance(a, k), Variance),
        ["std"] = ((x, a, k) => x.Std(a, k), v => Math.Sqrt(Variance(v))),
    };

    public static IEnumerable<object[]> ReductionCases() =>
        from name in Reductions.Keys from dtype in new[] { DType.Float32, DType.Float64 } select new object[] { name, dtype };

    [Theory]
    [MemberData(nameof(ReductionCases))]
    public void Reduction_over_any_axes_with_and_without_keepDims(string name, DType dtype)
    {
        int[] shape = [2, 3, 4];
        var data = Values(24, 3);
        var x = T(dtype, data, shape);
        data = x.ToArray<double>();
        var (op, reference) = Reductions[name];
        int[][] axesCases = [[0], [1], [2], [-1], [0, 2], [1, 2], [2, 0], [0, 1, 2]];
        foreach (var axes in axesCases)
        {
            var normalized = axes.Select(a => a < 0 ? a + 3 : a).ToArray();
            var expected = NaiveReduce(data, shape, normalized, reference);
            int[] kept = [.. shape.Select((d, i) => normalized.Contains(i) ? 1 : d)];
            int[] dropped = [.. shape.Where((_, i) => !normalized.Contains(i))];
            string what = $"{name} axes [{string.Join(",", axes)}]";
            Check.Close(dropped, expected, op(x, axes, false), 4 * Check.Tolerance(dtype), what);
            Check.Close(kept, expected, op(x, axes, true), 4 * Check.Tolerance(dtype), what + " keepDims");
        }
        var all = NaiveReduce(data, shape, [0, 1, 2], reference);
        Check.Close([], all, op(x, null, false), 4 * Check.Tolerance(dtype), name + " all");
        Check.Close([1, 1, 1], all, op(x, null, true), 4 * Check.Tolerance(dtype), name + " all keepDims");
        // The single-axis overloads agree.
        Check.Close([2, 4], NaiveReduce(data, shape, [1], reference), name switch
        {
            "sum" => x.Sum(1), "mean" => x.Mean(1), "max" => x.Max(1), "min" => x.Min(1), "variance" => x.Variance(1), _ => x.Std(1),
        }, 4 * Check.Tolerance(dtype), name + " axis 1");
    }

    [Fact]
    public void Sum_of_integers_stays_integer()
    {
        var x = Tensor.FromArray(new[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(DType.Int32, x.Sum().DType);
        Assert.Equal(21, x.Sum().Item<int>());
        Assert.Equal([6, 15], x.Sum(1).ToArray<int>());
        Assert.Equal([4L, 5, 6], x.Cast(DType.Int64).Max(0).ToArray<long>());
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void ArgMax_and_ArgMin_give_int64_first_index_on_ties(DType dtype)
    {
        var x = T(dtype, [1, 5, 5, 0, 0, -2, 7, -2, 3, 3, 3, 3], 3, 4);
        var argMax = x.ArgMax();
        Assert.Equal(DType.Int64, argMax.DType);
        Assert.Equal([3], argMax.Shape);
        Assert.Equal([1L, 2, 0], argMax.ToArray<long>());
        Assert.Equal([3L, 1, 0], x.ArgMin(-1).ToArray<long>());
        Assert.Equal([2L, 0, 1, 2], x.ArgMax(0).ToArray<long>());
        Assert.Equal([1L, 1, 2, 1], x.ArgMin(0).ToArray<long>());
        // A strided view: [[0,3],[-2,3],[7,3],[-2,3]], with a four-way tie in the second column.
        Assert.Equal([2L, 0], x.Transpose()[.., 1..].ArgMax(0).ToArray<long>());
        Assert.Equal([1L, 0], x.Transpose()[.., 1..].ArgMin(0).ToArray<long>());
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Softmax_LogSoftmax_and_LogSumExp_match_their_definitions(DType dtype)
    {
        // Large logits: a softmax without the max shift would overflow.
        double[] data = [1000, 1001, 1002, -1, 0, 1];
        var x = T(dtype, data, 2, 3);
        double Lse(int r) => Math.Log(Enumerable.Range(0, 3).Sum(j => Math.Exp(data[r * 3 + j] - data[r * 3 + 2]))) + data[r * 3 + 2];
        var logSoftmax = Enumerable.Range(0, 6).Select(i => data[i] - Lse(i / 3)).ToArray();
        double tol = 4 * Check.Tolerance(dtype);
        Check.Close([2, 3], logSoftmax.Select(Math.Exp).ToArray(), x.Softmax(), tol, "softmax");
        Check.Close([2, 3], logSoftmax, x.LogSoftmax(), tol, "log softmax");
        Check.Close([2], [Lse(0), Lse(1)], x.LogSumExp(1), tol, "logsumexp axis 1");
        Check.Close([2, 1], [Lse(0), Lse(1)], x.LogSumExp([-1], keepDims: true), tol, "logsumexp keepDims");
        // Along axis 0: columns (1000, -1), (1001, 0), (1002, 1).
        // Along axis 0 each column is (1000 + j, j - 1): the second entry's share is e^-1001 / (1 + e^-1001).
        double small = Math.Exp(-1001) / (1 + Math.Exp(-1001));
        Check.Close([2, 3], [1 - small, 1 - small, 1 - small, small, small, small], x.Softmax(0), tol, "softmax axis 0");
        Check.Close([], [Math.Log(data.Sum(v => Math.Exp(v - 1002))) + 1002], x.LogSumExp(), tol, "logsumexp all");
        Assert.All(x.Softmax().Sum(-1).ToArray<double>(), s => Assert.Equal(1, s, 1e-6));
    }

    [Fact]
    public void LogSumExp_of_an_all_minus_infinity_row_is_minus_infinity()
    {
        var x = Tensor.FromArray(new[] { double.NegativeInfinity, double.NegativeInfinity, 0, 0 }, 2, 2);
        Assert.Equal([double.NegativeInfinity, Math.Log(2)], x.LogSumExp(1).ToArray<double>());
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Concat_Stack_and_Split_move_values(DType dtype)
    {
        var a = T(dtype, [1, 2, 3, 4], 2, 2);
        var b = T(dtype, [5, 6], 2, 1);
        Check.Close([2, 3], [1, 2, 5, 3, 4, 6], Tensor.Concat([a, b], axis: 1), 0, "concat axis 1");
        Check.Close([2, 3], [1, 2, 5, 3, 4, 6], Tensor.Concat([a, b], axis: -1), 0, "concat axis -1");
        Check.Close([4, 2], [1, 2, 3, 4, 1, 3, 2, 4], Tensor.Concat([a, a.Transpose()]), 0, "concat axis 0");
        Check.Close([2, 2, 2], [1, 2, 3, 4, 10, 20, 30, 40], Tensor.Stack([a, a * 10.0]), 0, "stack axis 0");
        Check.Close([2, 2, 2], [1, 10, 2, 20, 3, 30, 4, 40], Tensor.Stack([a, a * 10.0], axis: 2), 0, "stack axis 2");
        var parts = T(dtype, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 2, 6).Split([1, 2, 3], axis: 1);
        Assert.Equal(3, parts.Length);
        Check.Close([2, 1], [0, 6], parts[0], 0, "split 0");
        Check.Close([2, 2], [1, 2, 7, 8], parts[1], 0, "split 1");
        Check.Close([2, 3], [3, 4, 5, 9, 10, 11], parts[2], 0, "split 2");
        var halves = T(dtype, [0, 1, 2, 3, 4, 5], 6).Split(3);
        Assert.Equal([[0.0, 1], [2.0, 3], [4.0, 5]], halves.Select(h => h.ToArray<double>()));
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Pad_and_Tile_build_larger_tensors(DType dtype)
    {
        var x = T(dtype, [1, 2, 3, 4], 2, 2);
        Check.Close([3, 5], [9, 9, 9, 9, 9, 9, 1, 2, 9, 9, 9, 3, 4, 9, 9], x.Pad([(1, 0), (1, 2)], 9), 0, "pad");
        Check.Close([2, 2], [1, 2, 3, 4], x.Pad([(0, 0), (0, 0)]), 0, "no pad");
        Check.Close([4, 6], [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4], x.Tile(2, 3), 0, "tile");
        Check.Close([2, 4], [1, 3, 1, 3, 2, 4, 2, 4], x.Transpose().Tile(1, 2), 0, "tile of a view");
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Gather_Take_and_OneHot_pick_by_index(DType dtype)
    {
        var x = T(dtype, [0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32], 4, 3);
        Check.Close([3, 3], [30, 31, 32, 0, 1, 2, 30, 31, 32], x.Gather(Tensor.FromArray(new[] { 3, 0, 3 })), 0, "gather rows");
        Check.Close([4, 2], [2, 0, 12, 10, 22, 20, 32, 30], x.Gather(Tensor.FromArray(new long[] { 2, 0 }), axis: 1), 0, "gather columns");
        Check.Close([2, 2, 3], [10, 11, 12, 20, 21, 22, 0, 1, 2, 0, 1, 2], x.Take(Tensor.FromArray(new[] { 1, 2, 0, 0 }, 2, 2)), 0, "take 2-D indices");
        Check.Close([4], [1, 11, 21, 31], x.Gather(Tensor.Scalar(1), axis: 1), 0, "scalar index drops the axis");

        var oneHot = Tensor.OneHot(Tensor.FromArray(new[] { 2, 0, -1, 5 }), 3, dtype: dtype);
        Assert.Equal(dtype, oneHot.DType);
        Check.Close([4, 3], [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], oneHot, 0, "one-hot, out-of-range rows off");
        Check.Close([2, 2], [-1, 5, 5, -1], Tensor.OneHot(Tensor.FromArray(new long[] { 1, 0 }), 2, onValue: 5, offValue: -1, dtype: dtype), 0, "on and off values");
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Where_picks_by_a_broadcast_condition(DType dtype)
    {
        var condition = Tensor.FromArray(new[] { true, false, true }, 3, 1);
        var a = T(dtype, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 3, 4);
        var b = T(dtype, [-1, -2, -3, -4]);
        Check.Close([3, 4], [1, 2, 3, 4, -1, -2, -3, -4, 9, 10, 11, 12], Tensor.Where(condition, a, b), 0, "where");
        Check.Close([3], [7, 0, 7], Tensor.Where(condition.Squeeze(), Tensor.Scalar(7, dtype), Tensor.Scalar(0, dtype)), 0, "scalars");
    }

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Comparisons_give_bool_and_broadcast(DType dtype)
    {
        var a = T(dtype, [1, 2, 3, double.NaN]);
        var b = T(dtype, [2]);
        Assert.Equal(DType.Bool, Tensor.Equal(a, b).DType);
        Assert.Equal([false, true, false, false], Tensor.Equal(a, b).ToArray<bool>());
        Assert.Equal([true, false, true, true], Tensor.NotEqual(a, b).ToArray<bool>());
        Assert.Equal([true, false, false, false], Tensor.Less(a, b).ToArray<bool>());
        Assert.Equal([true, true, false, false], Tensor.LessEqual(a, b).ToArray<bool>());
        Assert.Equal([false, false, true, false], Tensor.Greater(a, b).ToArray<bool>());
        Assert.Equal([false, true, true, false], Tensor.GreaterEqual(a, b).ToArray<bool>());
        var grid = Tensor.Less(T(dtype, [1, 2], 2, 1), T(dtype, [0, 1, 2, 3]));
        Assert.Equal([2, 4], grid.Shape);
        Assert.Equal([false, false, true, true, false, false, false, true], grid.ToArray<bool>());
    }

    [Fact]
    public void Logical_ops_combine_bools()
    {
        var p = Tensor.FromArray(new[] { true, true, false, false });
        var q = Tensor.FromArray(new[] { true, false, true, false });
        Assert.Equal([true, false, false, false], Tensor.LogicalAnd(p, q).ToArray<bool>());
        Assert.Equal([true, true, true, false], Tensor.LogicalOr(p, q).ToArray<bool>());
        Assert.Equal([false, false, true, true], p.LogicalNot().ToArray<bool>());
    }

    [Fact]
    public void Cast_converts_between_every_pair_of_dtypes()
    {
        var f = Tensor.FromArray(new[] { -2.7f, -0.5f, 0f, 0.5f, 2.7f });
        Assert.Equal([-2, 0, 0, 0, 2], f.Cast(DType.Int32).ToArray<int>());
        Assert.Equal([-2L, 0, 0, 0, 2], f.Cast(DType.Int64).ToArray<long>());
        Assert.Equal([true, true, false, true, true], f.Cast(DType.Bool).ToArray<bool>());
        Assert.Equal(f.ToArray<float>().Select(v => (double)v), f.Cast(DType.Float64).ToArray<double>());
        var d = Tensor.FromArray(new[] { -1e10, -3.99, 3.99, 0.1 });
        Assert.Equal([-1e10, -3, 3, 0], d.Cast(DType.Int64).ToArray<long>().Select(v => (double)v));
        Assert.Equal([-3, 3, 0], d[1..].Cast(DType.Int32).ToArray<int>());
        Assert.Equal([(float)-1e10, -3.99f, 3.99f, 0.1f], d.Cast(DType.Float32).ToArray<float>());
        var i = Tensor.FromArray(new[] { -3, 0, 7 });
        Assert.Equal([-3f, 0, 7], i.Cast(DType.Float32).ToArray<float>());
        Assert.Equal([-3.0, 0, 7], i.Cast(DType.Float64).ToArray<double>());
        Assert.Equal([-3L, 0, 7], i.Cast(DType.Int64).ToArray<long>());
        Assert.Equal([true, false, true], i.Cast(DType.Bool).ToArray<bool>());
        var l = Tensor.FromArray(new[] { 1L << 40, -5L });
        Assert.Equal([(double)(1L << 40), -5.0], l.Cast(DType.Float64).ToArray<double>());
        Assert.Equal([true, true], l.Cast(DType.Bool).ToArray<bool>());
        Assert.Equal(-5, l[1..].Cast(DType.Int32).Item<int>());
        var b = Tensor.FromArray(new[] { true, false });
        Assert.Equal([1f, 0f], b.Cast(DType.Float32).ToArray<float>());
        Assert.Equal([1.0, 0.0], b.Cast(DType.Float64).ToArray<double>());
        Assert.Equal([1, 0], b.Cast(DType.Int32).ToArray<int>());
        Assert.Equal([1L, 0L], b.Cast(DType.Int64).ToArray<long>());
        Assert.Same(b, b.Cast(DType.Bool));
        Assert.Equal(DType.Bool, b.Cast(DType.Bool).DType);
    }

    [Fact]
    public void StopGradient_keeps_the_values_and_hides_the_input_from_the_tape()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2.0 });
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = x.StopGradient();
        Assert.Equal([1.0, 2.0], y.ToArray<double>());
        Assert.Null(tape.Gradient((y * y).Sum(), x));
    }
}
