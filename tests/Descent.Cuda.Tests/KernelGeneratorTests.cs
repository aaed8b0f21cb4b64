using System.Text.RegularExpressions;
using Descent.Backends;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Tests;

/// <summary>The generated CUDA C: its structure for every primitive, dtype and rank, and the choices that make results match the CPU.</summary>
public class KernelGeneratorTests
{
    [Fact]
    public void Every_kernel_name_is_unique_and_says_what_it_is()
    {
        var all = KernelCatalog.All().ToList();
        Assert.True(all.Count > 1000, $"only {all.Count} kernels");
        var duplicates = all.GroupBy(k => k.Name).Where(g => g.Select(k => k.Definition).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
        Assert.All(all, k => Assert.Matches("^[a-z0-9_]+$", k.Name));
    }

    [Fact]
    public void Every_definition_declares_the_parameters_the_launcher_is_checked_against()
    {
        foreach (var kernel in KernelCatalog.All())
        {
            var signature = Regex.Match(kernel.Definition, $@"extern ""C"" __global__ void (?:__launch_bounds__\(\d+\) )?{kernel.Name}\(([^)]*)\)");
            Assert.True(signature.Success, $"{kernel.Name}: no entry point in\n{kernel.Definition}");
            var declared = signature.Groups[1].Value.Split(", ");
            Assert.Equal(kernel.Params.Select(p => p.Declaration), declared);
            // Each layout parameter is used with its own rank.
            foreach (var layout in kernel.Params.Where(p => p.Kind == ParamKind.Layout))
                Assert.Matches($@"(at<{layout.Rank}>\({layout.Name},|\b{layout.Name}\.(off|s\[))", kernel.Definition);
        }
    }

    [Fact]
    public void No_parameter_or_local_shadows_the_grid_stride_counter()
    {
        // A parameter named like the loop's counter is hidden inside the loop: the bitonic step's k once was.
        foreach (var kernel in KernelCatalog.All())
        {
            Assert.DoesNotContain(kernel.Params, p => p.Name == CTypes.LoopVariable);
            int declarations = Regex.Matches(kernel.Definition, $@"\b(?:i64|int|u32|u64)\s+{CTypes.LoopVariable}\b").Count;
            int loops = Regex.Matches(kernel.Definition, $@"for \(i64 {CTypes.LoopVariable} =").Count;
            Assert.True(declarations == loops, $"{kernel.Name} declares {CTypes.LoopVariable} outside its grid-stride loop");
        }
    }

    [Fact]
    public void No_kernel_adds_with_atomics_so_results_do_not_depend_on_timing()
    {
        Assert.All(KernelCatalog.All(), k => Assert.DoesNotContain("atomic", k.Source, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void Elementwise_kernels_address_every_operand_through_a_layout_of_the_collapsed_rank(int rank)
    {
        var kernel = ElementwiseKernels.Where(DType.Float64, rank);
        Assert.Equal(["int n", "double* y", $"Lay<{rank}> ly", "const u8* x0", $"Lay<{rank}> l0", "const double* x1", $"Lay<{rank}> l1", "const double* x2", $"Lay<{rank}> l2"],
            kernel.Params.Select(p => p.Declaration));
        Assert.Contains($"u8 c = x0[at<{rank}>(l0, i)];", kernel.Definition);
        Assert.Contains($"y[at<{rank}>(ly, i)] = c ? a : b;", kernel.Definition);
        Assert.Contains($"{CTypes.LoopVariable} < (i64)(n)", kernel.Definition);
    }

    [Fact]
    public void Float_unary_ops_use_the_ieee_functions_of_their_precision()
    {
        Assert.Contains("expf(a)", ElementwiseKernels.Unary(UnaryOp.Exp, DType.Float32, 1).Definition);
        Assert.Contains("= exp(a)", ElementwiseKernels.Unary(UnaryOp.Exp, DType.Float64, 1).Definition);
        Assert.Contains("rintf(a)", ElementwiseKernels.Unary(UnaryOp.Round, DType.Float32, 1).Definition);            // halves to even
        Assert.Contains("1.0f / sqrtf(a)", ElementwiseKernels.Unary(UnaryOp.Rsqrt, DType.Float32, 1).Definition);   // not the approximate rsqrtf
        Assert.Contains("(a != a ? a : (a > 0.0f ? a : 0.0f))", ElementwiseKernels.Unary(UnaryOp.Relu, DType.Float32, 1).Definition);
        Assert.Contains("vmax(a, b)", ElementwiseKernels.Binary(BinaryOp.Maximum, DType.Float64, 1).Definition);
        Assert.DoesNotContain("fmax", KernelCatalog.Elementwise().Select(k => k.Definition).Aggregate(string.Concat));
    }

    [Fact]
    public void Integer_arithmetic_wraps_and_a_kernel_never_divides_by_zero()
    {
        Assert.Contains("(int)((u32)a + (u32)b)", ElementwiseKernels.Binary(BinaryOp.Add, DType.Int32, 1).Definition);
        Assert.Contains("(i64)((u64)a * (u64)b)", ElementwiseKernels.Binary(BinaryOp.Multiply, DType.Int64, 1).Definition);
        Assert.Contains("b == 0 ? (int)0", ElementwiseKernels.Binary(BinaryOp.Divide, DType.Int32, 1).Definition);
        var e = Assert.Throws<ArgumentException>(() => ElementwiseKernels.Unary(UnaryOp.Log, DType.Int64, 1));
        Assert.Equal("Log: not defined for int64 tensors; cast to a float dtype first.", e.Message);
        Assert.Throws<ArgumentException>(() => ElementwiseKernels.Unary(UnaryOp.Negate, DType.Bool, 1));
        Assert.Throws<ArgumentException>(() => ElementwiseKernels.Compare(CompareOp.Less, DType.Bool, 1));
    }

    [Theory]
    [InlineData(DType.Float32, DType.Int32, "__float2int_rz(a)")]     // truncates, saturates, NaN to 0
    [InlineData(DType.Float64, DType.Int64, "__double2ll_rz(a)")]
    [InlineData(DType.Int64, DType.Float32, "__ll2float_rn(a)")]      // rounded once, straight from 64 bits
    [InlineData(DType.Float64, DType.Float32, "__double2float_rn(a)")]
    [InlineData(DType.Int64, DType.Int32, "(int)(u32)(u64)a")]        // wraps
    [InlineData(DType.Float32, DType.Bool, "(u8)(a != 0)")]           // NaN is true
    [InlineData(DType.Bool, DType.Float64, "(a != 0 ? 1.0 : 0.0)")]
    public void Casts_convert_as_csharp_does(DType from, DType to, string expression) =>
        Assert.Contains($"= {expression};", ElementwiseKernels.Cast(from, to, 2).Definition);

    [Fact]
    public void Updates_round_the_product_and_the_sum_separately_as_the_cpu_does()
    {
        Assert.Contains("__fadd_rn(a, __fmul_rn(alpha, b))", ElementwiseKernels.ScaledAdd(DType.Float32, 1).Definition);
        Assert.Contains("__dadd_rn(a, __dmul_rn(alpha, b))", ElementwiseKernels.ScaledAdd(DType.Float64, 2).Definition);
        Assert.Equal(ParamKind.Float32, ElementwiseKernels.ScaledAdd(DType.Float32, 1).Params[^1].Kind);
    }

    [Fact]
    public void The_bias_epilogue_adds_nothing_without_a_bias()
    {
        Assert.Contains("float v = a + b;", ElementwiseKernels.BiasActivation(DType.Float32, FusedActivation.Tanh, bias: true, 2).Definition);
        var plain = ElementwiseKernels.BiasActivation(DType.Float32, FusedActivation.Sigmoid, bias: false, 1);
        Assert.Contains("float v = a;", plain.Definition);
        Assert.Contains("1.0f / (1.0f + expf(-v))", plain.Definition);
    }

    [Fact]
    public void Float32_sums_accumulate_in_double_and_round_once()
    {
        var sum = ReduceKernels.Blocks(ReduceOp.Sum, DType.Float32, 2, 1, partial: false);
        Assert.Contains("double acc = 0.0;", sum.Definition);
        Assert.Contains("__double2float_rn(acc)", sum.Definition);
        var partial = ReduceKernels.Blocks(ReduceOp.Sum, DType.Float32, 1, 3, partial: true);
        Assert.Equal("double* y", partial.Params[^1].Declaration);
        Assert.Equal("const double* x", ReduceKernels.Blocks(ReduceOp.Sum, DType.Float32, 1, 1, false, fromPartials: true).Params[4].Declaration);
        Assert.Contains("u32 acc = 0u;", ReduceKernels.Threads(ReduceOp.Sum, DType.Int32, 1, 1).Definition); // wraps
        Assert.Contains("vmax(acc, x[", ReduceKernels.Threads(ReduceOp.Max, DType.Float64, 1, 2).Definition);
    }

    [Fact]
    public void Block_reductions_combine_threads_with_a_fixed_butterfly()
    {
        var kernel = ReduceKernels.Blocks(ReduceOp.Min, DType.Int64, 1, 1, partial: false);
        Assert.Contains("for (int m = 16; m > 0; m >>= 1) v = vmin(v, shfl(v, m));", kernel.Definition);
        Assert.Contains("__launch_bounds__(256)", kernel.Definition);
    }

    [Fact]
    public void Arg_reductions_prefer_nan_then_the_first_index()
    {
        var kernel = ReduceKernels.Arg(ReduceOp.Max, DType.Float32, 2);
        Assert.Contains("if (bv != bv) return (v != v) && i < bi;", kernel.Definition);
        Assert.Contains("return i < bi;", kernel.Definition);
        Assert.Contains("negative(a) && !negative(b)", kernel.Definition); // +0 beats -0
        Assert.Equal("i64* y", kernel.Params[^1].Declaration);
    }

    [Fact]
    public void Scatter_add_adds_each_segment_in_position_order_from_the_existing_value()
    {
        var kernel = IndexKernels.ScatterAdd(DType.Float64, 2, 1);
        Assert.Contains("double acc = y[i];", kernel.Definition);
        Assert.Contains("for (int q = from; q < to; q++) acc = acc + u[origin + (int)(u32)keys[q] * step];", kernel.Definition);
        Assert.Contains("<< 32) | (u64)(u32)i : ~0ull", IndexKernels.SortKeys(DType.Int32, 1).Definition);
    }

    [Fact]
    public void The_random_kernels_are_philox_with_the_cpus_constants()
    {
        var uniform = RandomKernels.Sample(RandomDistribution.Uniform, DType.Float32);
        foreach (var constant in new[] { "0xD2511F53u", "0xCD9E8D57u", "0x9E3779B9u", "0xBB67AE85u" })
            Assert.Contains(constant, uniform.Source);
        Assert.Contains("for (int round = 0; round < 10; round++)", uniform.Source);
        Assert.Contains("__dadd_rn(a, __dmul_rn(b - a, philox_uniform(seed, index)))", uniform.Definition);
        Assert.Contains("__double2float_rn(v)", uniform.Definition);
        Assert.Contains("fabs(z) > 2.0", RandomKernels.Sample(RandomDistribution.TruncatedNormal, DType.Float32).Definition);
        Assert.Equal(0x3CA0000000000000L, BitConverter.DoubleToInt64Bits(1.0 / (1UL << 53))); // the scale unit_interval uses
        Assert.Equal("6.283185307179586", (2.0 * Math.PI).ToString("R"));                     // the constant philox_normal uses
    }

    [Fact]
    public void The_fused_adam_step_rounds_every_operation_in_the_unfused_order()
    {
        var f32 = AdamKernels.Step(DType.Float32, 1).Definition;
        Assert.Contains("mi = __fadd_rn(__fmul_rn(m[i], b1), __fmul_rn(gi, c1));", f32);
        Assert.Contains("vi = __fadd_rn(__fmul_rn(v[i], b2), __fmul_rn(__fmul_rn(gi, gi), c2));", f32);
        Assert.Contains("denominator = __fadd_rn(__fdiv_rn(__fsqrt_rn(vi), correction), eps);", f32);
        Assert.Contains("w[wi_] = __fsub_rn(wi, __fmul_rn(__fdiv_rn(mi, denominator), step));", f32);
        Assert.Contains("vi = vmax(vmaxes[i], vi);", f32); // AMSGrad: NaN propagates, as T.Max does
        var f64 = AdamKernels.Step(DType.Float64, 2);
        Assert.Contains("if (decoupled) wi = __dmul_rn(wi, decay);", f64.Definition);
        Assert.Contains("if (coupled) gi = __dadd_rn(gi, __dmul_rn(wi, l2));", f64.Definition);
        Assert.All(f64.Params.TakeLast(9), p => Assert.Equal(ParamKind.Float64, p.Kind));
    }

    [Fact]
    public void The_fused_cross_entropy_has_a_warp_and_a_block_form()
    {
        var warp = FusedKernels.SoftmaxCrossEntropy(DType.Float32, DType.Int64, warpPerRow: true);
        var block = FusedKernels.SoftmaxCrossEntropy(DType.Float32, DType.Int64, warpPerRow: false);
        Assert.DoesNotContain("__syncthreads", warp.Definition);
        Assert.Contains("__syncthreads", block.Definition);
        Assert.Contains("(m - x[base + label * lx.s[1]]) + logf(s)", warp.Definition);
        Assert.Contains("c == label ? g - 1.0f : g", block.Definition);
    }

    [Fact]
    public void Convolution_products_read_their_operands_through_the_geometry()
    {
        var forward = ConvKernels.Gemm(ConvProduct.Forward, DType.Float32, split: false);
        Assert.Equal(9 + 15, forward.Params.Count);
        Assert.Contains("int ih = oh * SH + i * DH - PT, iw = ow * SW + j * DW - PL;", forward.Definition);
        var input = ConvKernels.Gemm(ConvProduct.BackwardInput, DType.Float64, split: true);
        Assert.Contains("ph % SH != 0", input.Definition);
        Assert.Contains("c[((i64)blockIdx.z * M + m) * N + n]", input.Definition);
        Assert.Contains("if (where < 0 || v > best || (v != v && best == best))", ConvKernels.MaxPool(DType.Float32).Definition);
    }
}
