using Descent.Backends.Cpu;

namespace Descent.Tests;

[Collection("Threads")]
public class GemmTests
{
    public enum Layout { RowMajor, TransposedA, TransposedB, BothTransposed, PaddedRows, BroadcastA, BroadcastB }

    public static TheoryData<int, int, int, Layout, bool> Cases()
    {
        var data = new TheoryData<int, int, int, Layout, bool>();
        int[][] shapes =
        [
            [1, 1, 1], [7, 7, 7], [63, 63, 63], [65, 65, 65], [7, 65, 1000], [65, 7, 1000],
            [1000, 65, 7], [7, 1000, 65], [1, 1000, 1], [100, 150, 120],
        ];
        foreach (bool isDouble in new[] { false, true })
        {
            foreach (var s in shapes)
                data.Add(s[0], s[1], s[2], Layout.RowMajor, isDouble);
            foreach (var layout in Enum.GetValues<Layout>())
            {
                data.Add(65, 63, 70, layout, isDouble);
                if (layout != Layout.RowMajor) // the row-major case is already in the shape list
                    data.Add(100, 150, 120, layout, isDouble);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_matches_naive_reference(int m, int n, int k, Layout layout, bool isDouble)
    {
        var p = Problem.Create(m, n, k, layout, seed: m * 1_000_003 + n * 1009 + k);
        Check(p, isDouble, accumulate: false);
    }

    [Theory]
    [InlineData(7, 65, 1000, false)]
    [InlineData(100, 150, 120, false)]
    [InlineData(100, 150, 120, true)]
    [InlineData(5, 5, 5, true)]
    public void Accumulate_adds_to_existing_C(int m, int n, int k, bool isDouble)
    {
        var p = Problem.Create(m, n, k, Layout.PaddedRows, seed: 42);
        Check(p, isDouble, accumulate: true);
    }

    [Fact]
    public void Zero_k_gives_zeros_or_leaves_C_when_accumulating()
    {
        var c = new float[] { 1, 2, 3, 4, 5, 6 };
        Gemm.Multiply(ReadOnlySpan<float>.Empty, 0, 0, ReadOnlySpan<float>.Empty, 3, 1, c, 3, 2, 3, 0, accumulate: true);
        Assert.Equal([1f, 2, 3, 4, 5, 6], c);
        Gemm.Multiply(ReadOnlySpan<float>.Empty, 0, 0, ReadOnlySpan<float>.Empty, 3, 1, c, 3, 2, 3, 0);
        Assert.All(c, x => Assert.Equal(0f, x));

        var d = new double[] { 1, 2 };
        Gemm.Multiply(ReadOnlySpan<double>.Empty, 0, 0, ReadOnlySpan<double>.Empty, 2, 1, d, 2, 1, 2, 0);
        Assert.Equal([0.0, 0.0], d);
    }

    [Fact]
    public void Empty_m_or_n_leaves_C_untouched()
    {
        var c = new float[] { 7, 8 };
        Gemm.Multiply(new float[3], 3, 1, new float[6], 2, 1, c, 2, 0, 2, 3);
        Gemm.Multiply(new float[3], 3, 1, new float[6], 2, 1, c, 2, 1, 0, 3);
        Assert.Equal([7f, 8], c);
    }

    [Fact]
    public void Too_short_operand_throws()
    {
        var c = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[3], 2, 1, new float[4], 2, 1, c, 2, 2, 2, 2));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[4], 2, 1, new float[4], 2, 1, new float[3], 2, 2, 2, 2));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_and_two_threads_give_bit_identical_results(bool isDouble)
    {
        var p = Problem.Create(150, 700, 400, Layout.TransposedA, seed: 7);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            var one = Run(p, isDouble, accumulate: true);
            Gemm.MaxThreads = 2;
            var two = Run(p, isDouble, accumulate: true);
            Assert.Equal(one, two);
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    /// <summary>
    /// Tall or square products big enough for two threads, split into row bands on the thread team. k and n
    /// span several blocks; odd sizes leave ragged tiles and panels on either thread; one takes the
    /// narrow kernel (n = 40).
    /// </summary>
    public static TheoryData<int, int, int, Layout, bool> TwoThreadCases()
    {
        var data = new TheoryData<int, int, int, Layout, bool>();
        foreach (bool isDouble in new[] { false, true })
        {
            data.Add(200, 150, 700, Layout.RowMajor, isDouble);
            data.Add(101, 97, 97, Layout.RowMajor, isDouble);
            data.Add(500, 40, 300, Layout.RowMajor, isDouble);
            data.Add(130, 129, 450, Layout.TransposedA, isDouble);
            data.Add(130, 129, 450, Layout.TransposedB, isDouble);
            data.Add(130, 129, 450, Layout.BothTransposed, isDouble);
            data.Add(130, 129, 450, Layout.PaddedRows, isDouble);
            data.Add(130, 129, 450, Layout.BroadcastA, isDouble);
            data.Add(130, 129, 450, Layout.BroadcastB, isDouble);
        }
        data.Add(700, 650, 400, Layout.RowMajor, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(TwoThreadCases))]
    public void Two_threads_match_reference_and_one_thread(int m, int n, int k, Layout layout, bool isDouble)
    {
        var p = Problem.Create(m, n, k, layout, seed: m + 31 * n + 977 * k);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 2;
            Check(p, isDouble, accumulate: false);
            Check(p, isDouble, accumulate: true);
            var two = Run(p, isDouble, accumulate: true);
            Gemm.MaxThreads = 1;
            Assert.Equal(Run(p, isDouble, accumulate: true), two);
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void Large_square_product_is_bit_identical_with_one_and_two_threads()
    {
        // 1000 x 970 x 600 floats: two column blocks and two k blocks on each thread's band.
        var p = Problem.Create(1000, 970, 600, Layout.RowMajor, seed: 3);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            var one = Run(p, isDouble: false, accumulate: false);
            Gemm.MaxThreads = 2;
            var two = Run(p, isDouble: false, accumulate: false);
            Assert.Equal(one, two);
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void Concurrent_callers_get_the_same_results_as_one_thread()
    {
        // Only one multiply holds the thread team at a time; the others fall back to independent bands.
        var p = Problem.Create(240, 200, 300, Layout.RowMajor, seed: 11);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            var expected = Run(p, isDouble: false, accumulate: false);
            Gemm.MaxThreads = 2;
            var results = new double[8][];
            Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
                         i => results[i] = Run(p, isDouble: false, accumulate: false));
            Assert.All(results, r => Assert.Equal(expected, r));
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    private static void Check(Problem p, bool isDouble, bool accumulate)
    {
        var actual = Run(p, isDouble, accumulate);
        var (expected, magnitude) = p.Reference(isDouble, accumulate);
        double eps = isDouble ? 1.1e-16 : 6e-8;
        for (int i = 0; i < actual.Length; i++)
        {
            double tol = 2 * (p.K + 2) * eps * magnitude[i] + 1e-30;
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tol,
                $"C[{i}] = {actual[i]}, expected {expected[i]} (tolerance {tol}) for {p}");
        }
    }

    /// <summary>Runs the multiply in the requested type and returns the whole C buffer, padding included.</summary>
    private static double[] Run(Problem p, bool isDouble, bool accumulate)
    {
        if (isDouble)
        {
            var c = (double[])p.C.Clone();
            Gemm.Multiply(p.A, p.ARowStride, p.AColStride, p.B, p.BRowStride, p.BColStride, c, p.CRowStride, p.M, p.N, p.K, accumulate);
            return c;
        }
        var cf = Array.ConvertAll(p.C, x => (float)x);
        Gemm.Multiply(Array.ConvertAll(p.A, x => (float)x), p.ARowStride, p.AColStride,
                      Array.ConvertAll(p.B, x => (float)x), p.BRowStride, p.BColStride,
                      cf, p.CRowStride, p.M, p.N, p.K, accumulate);
        return Array.ConvertAll(cf, x => (double)x);
    }

    /// <summary>
    /// Operands stored with the strides a layout implies. Values are float-representable, so the float
    /// and double runs multiply the same numbers and share one double-precision reference.
    /// </summary>
    private sealed record Problem(int M, int N, int K, Layout Layout, double[] A, int ARowStride, int AColStride,
                                  double[] B, int BRowStride, int BColStride, double[] C, int CRowStride)
    {
        public static Problem Create(int m, int n, int k, Layout layout, int seed)
        {
            var g = new Generator(seed);
            var (ars, acs, alen) = layout switch
            {
                Layout.TransposedA or Layout.BothTransposed => (1, m, m * k),
                Layout.BroadcastA => (0, 1, k),
                Layout.PaddedRows => (k + 3, 1, (m - 1) * (k + 3) + k),
                _ => (k, 1, m * k),
            };
            var (brs, bcs, blen) = layout switch
            {
                Layout.TransposedB or Layout.BothTransposed => (1, k, k * n),
                Layout.BroadcastB => (1, 0, k),
                Layout.PaddedRows => (n + 5, 1, (k - 1) * (n + 5) + n),
                _ => (n, 1, k * n),
            };
            int crs = layout == Layout.PaddedRows ? n + 2 : n;
            return new Problem(m, n, k, layout, Random(g, alen), ars, acs, Random(g, blen), brs, bcs,
                               Random(g, (m - 1) * crs + n), crs);
        }

        private static double[] Random(Generator g, int length)
        {
            var x = new double[length];
            for (int i = 0; i < length; i++)
                x[i] = g.NextSingle() * 2 - 1;
            return x;
        }

        /// <summary>Naive triple loop in double, plus sum |a b| (and |c|) per element to scale the tolerance.</summary>
        public (double[] Expected, double[] Magnitude) Reference(bool isDouble, bool accumulate)
        {
            var expected = (double[])C.Clone();
            var magnitude = new double[C.Length];
            for (int i = 0; i < M; i++)
            {
                for (int j = 0; j < N; j++)
                {
                    double sum = accumulate ? C[i * CRowStride + j] : 0, abs = Math.Abs(sum);
                    for (int p = 0; p < K; p++)
                    {
                        double x = A[i * ARowStride + p * AColStride] * B[p * BRowStride + j * BColStride];
                        sum += x;
                        abs += Math.Abs(x);
                    }
                    expected[i * CRowStride + j] = sum;
                    magnitude[i * CRowStride + j] = abs;
                }
            }
            return (expected, magnitude);
        }

        public override string ToString() => $"{M}x{N}x{K} {Layout}";
    }
}
