using Descent.Backends;
using Descent.Cuda.Backend;

namespace Descent.Cuda.Tests;

/// <summary>
/// The CUDA backend's host side on a <see cref="FakeGpu"/>: which kernels each primitive launches and with which
/// layouts, that every launch's arguments match the kernel's parameters, the GEMM calls cuBLAS would get, transfers,
/// deferred checks and memory. The fake runs no kernel, so values are checked only where the work is a copy.
/// </summary>
public class FakeGpuBackendTests
{
    private readonly FakeGpu _gpu = new();
    private readonly CudaBackend _backend;
    private Device D => _backend.Device;

    public FakeGpuBackendTests() => _backend = new CudaBackend(_gpu, 0);

    private static Layout View(int[] shape, Func<Tensor, Tensor> view) => view(Tensor.Zeros(shape, device: Device.Cpu)).Layout;

    private Storage Buffer(DType dtype, int length) => _backend.Allocate(dtype, length, zeroed: true);

    private string[] Launched() => [.. _gpu.Launches.Select(l => l.Name)];

    [Fact]
    public void Upload_then_download_gives_the_values_back()
    {
        var t = Tensor.FromArray(new[] { 1.5f, -2, 3 }, [3], D);
        Assert.Equal(D, t.Device);
        Assert.Equal([1.5f, -2, 3], t.ToArray<float>());
        Assert.Empty(_gpu.Launches);
    }

    [Fact]
    public void A_contiguous_copy_is_a_device_copy()
    {
        var x = Tensor.FromArray(new[] { 1, 2, 3, 4, 5, 6 }, [2, 3], D);
        var y = Buffer(DType.Int32, 6);
        _backend.Copy(Internals.StorageOf(x), x.Layout, y, Layout.Contiguous([2, 3]));
        Assert.Empty(_gpu.Launches);
        var back = new int[6];
        _backend.Download<int>(y, 0, back);
        Assert.Equal([1, 2, 3, 4, 5, 6], back);
    }

    [Fact]
    public void A_transposed_copy_launches_a_rank_2_kernel()
    {
        var x = Buffer(DType.Float32, 6);
        _backend.Copy(x, View([2, 3], t => t.Transpose()), Buffer(DType.Float32, 6), Layout.Contiguous([3, 2]));
        Assert.Equal(["copy_f32_r2"], Launched());
    }

    [Theory]
    [InlineData(new[] { 4, 5 }, new[] { 4, 5 }, "binary_add_f32_r1")]       // contiguous: one axis
    [InlineData(new[] { 4, 5 }, new[] { 1, 5 }, "binary_add_f32_r2")]       // a row broadcast down the rows
    [InlineData(new[] { 4, 5 }, new[] { 1, 1 }, "binary_add_f32_r1")]       // a scalar: stride 0 merges too
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 1, 4 }, "binary_add_f32_r3")]
    public void Operands_walked_together_collapse_their_axes_jointly(int[] shape, int[] bShape, string kernel)
    {
        var a = Tensor.Zeros(shape, device: D);
        var b = Tensor.Zeros(bShape, device: D);
        _ = a + b;
        Assert.Contains(kernel, Launched());
    }

    [Fact]
    public void Collapsing_merges_an_axis_into_the_next_only_where_every_operand_walks_it_as_one_run()
    {
        var (contiguous, transposed) = (Layout.Contiguous([2, 3, 4]), View([4, 3, 2], t => t.Transpose(2, 1, 0)));
        var merged = Strided.Collapse([2, 3, 4], contiguous, contiguous);
        Assert.Equal([24], merged[0].Dims);
        var kept = Strided.Collapse([2, 3, 4], contiguous, transposed);
        Assert.Equal([2, 3, 4], kept[1].Dims);
        Assert.Equal([1, 2, 6], kept[1].Strides);
        for (int i = 0; i < 24; i++)
            Assert.Equal(i / 12 + (i / 4 % 3) * 2 + (i % 4) * 6, kept[1].At(i));
        var single = Strided.Collapse([1, 1], Layout.Contiguous([1, 1], offset: 5))[0];
        Assert.Equal([1], single.Dims);
        Assert.Equal([0], single.Strides);
        Assert.Equal(5, single.Offset);
    }

    [Fact]
    public void The_public_ops_reach_the_backend_with_arguments_that_match_every_kernel()
    {
        using (Device.Use(D))
        {
            var g = new Generator(1);
            var x = Tensor.RandomUniform([8, 6], g);
            var w = Tensor.RandomNormal([6, 4], g);
            var labels = Tensor.FromArray(new[] { 0, 1, 2, 3, 0, 1, 2, 3 });
            var image = Tensor.RandomUniform([2, 5, 5, 3], g);
            var kernel = Tensor.RandomUniform([3, 3, 3, 4], g);
            using var tape = new GradientTape();
            tape.Watch([x, w, image, kernel]);
            var logits = Tensor.MatMul(x, w).Relu() + x.Sum(1, keepDims: true) * 0.5;
            var loss = Tensor.SparseSoftmaxCrossEntropy(logits, labels).Mean()
                + x.Gather(labels, 1).Square().Sum()
                + Tensor.Conv2D(image, kernel, padding: "same").Exp().Mean()
                + x.Max(0).Sum() + x.ArgMax(1).Cast(DType.Float32).Sum();
            var grads = tape.Gradient(loss, [x, w, image, kernel]);
            Assert.All(grads, gr => Assert.Equal(D, gr!.Device));
        }
        // Every family went through the launcher, whose argument check runs on each launch.
        foreach (var prefix in new[] { "unary_", "binary_", "reduce_", "xent_", "gather_", "scatter_", "bitonic_", "conv_", "random_", "cast_", "arg" })
            Assert.Contains(_gpu.Launches, l => l.Name.StartsWith(prefix, StringComparison.Ordinal));
        Assert.NotEmpty(_gpu.Gemms);
    }

    [Fact]
    public void Adam_runs_as_one_kernel_per_variable_with_the_scalars_rounded_to_the_dtype()
    {
        using (Device.Use(D))
        {
            var w = new Variable(Tensor.Ones([3, 4]));
            var optimizer = new Descent.Optimizers.Adam(1e-3, amsgrad: true);
            optimizer.ApplyGradients([Tensor.Ones([3, 4])], [w]);
        }
        var adam = Assert.Single(_gpu.Launches, l => l.Name.StartsWith("adam_", StringComparison.Ordinal));
        Assert.Equal("adam_f32_r1", adam.Name);
        // hasMax, decoupled, coupled, then β₁ as a float32.
        var args = adam.Args;
        int scalars = args.Length - 9 * 4;
        Assert.Equal(0.9f, BitConverter.ToSingle(args, scalars));
        Assert.Equal(1, BitConverter.ToInt32(args, scalars - 12));
    }

    [Fact]
    public void Unsupported_dtypes_fail_with_the_cpu_message_before_anything_is_queued()
    {
        var ints = Buffer(DType.Int32, 4);
        var e = Assert.Throws<ArgumentException>(() => _backend.Unary(UnaryOp.Exp, ints, Layout.Contiguous([4]), Buffer(DType.Int32, 4)));
        Assert.Equal("Exp: not defined for int32 tensors; cast to a float dtype first.", e.Message);
        e = Assert.Throws<ArgumentException>(() => _backend.Binary(BinaryOp.Pow, ints, Layout.Contiguous([4]), ints, Layout.Contiguous([4]), ints));
        Assert.Equal("Pow: not defined for int32 tensors; cast to a float dtype first.", e.Message);
        Assert.Throws<OverflowException>(() => _backend.Fill(ints, Layout.Contiguous([4]), 1e12));
        Assert.Empty(_gpu.Launches);
    }

    [Fact]
    public void Buffers_of_other_devices_are_refused_by_name()
    {
        var foreign = Tensor.Zeros([3], device: Device.Reference);
        var e = Assert.Throws<ArgumentException>(() => _backend.Unary(UnaryOp.Exp, Internals.StorageOf(foreign), foreign.Layout, Buffer(DType.Float32, 3)));
        Assert.Equal("Exp: the cuda:0 backend was given a reference buffer; move the tensor to cuda:0 first.", e.Message);
        var other = new CudaBackend(new FakeGpu(), 1);
        e = Assert.Throws<ArgumentException>(() => _backend.Unary(UnaryOp.Exp, other.Allocate(DType.Float32, 3, false), Layout.Contiguous([3]), Buffer(DType.Float32, 3)));
        Assert.Contains("was given a cuda:1 buffer", e.Message);
    }

    [Fact]
    public async Task A_failed_check_throws_at_the_next_download_of_the_flow_that_queued_it()
    {
        var yes = Tensor.FromArray(new[] { true }, [1], D);
        var no = Tensor.FromArray(new[] { false }, [1], D);
        var data = Tensor.FromArray(new[] { 1f }, [1], D);
        _backend.Verify(Internals.StorageOf(yes), () => new InvalidOperationException("never"));
        Assert.Equal([1f], data.ToArray<float>());

        _backend.Verify(Internals.StorageOf(no), () => new ArgumentOutOfRangeException("labels", "label 7 is out of range"));
        // Another flow's download (a thread this one did not start, as another test's) does not see the failure...
        Task<float[]> elsewhere;
        using (ExecutionContext.SuppressFlow()) elsewhere = Task.Run(() => data.ToArray<float>());
        float[] other = await elsewhere;
        Assert.Equal(new[] { 1f }, other);
        // ...this flow's does, once.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => data.ToArray<float>());
        Assert.Contains("label 7 is out of range", e.Message);
        Assert.Equal([1f], data.ToArray<float>());
    }

    [Fact]
    public void Checks_cost_no_synchronization_until_a_download()
    {
        var yes = Tensor.FromArray(new[] { true }, [1], D);
        int before = _gpu.Synchronizations;
        for (int i = 0; i < 300; i++) _backend.Verify(Internals.StorageOf(yes), () => new InvalidOperationException("never"));
        // Only when the 256 flags filled up: one wait and one read of the flags.
        Assert.InRange(_gpu.Synchronizations - before, 1, 2);
    }

    [Fact]
    public void Gemm_reads_row_major_operands_as_their_column_major_transposes()
    {
        var a = Buffer(DType.Float32, 6);
        var b = Buffer(DType.Float32, 12);
        _backend.MatMul(a, Layout.Contiguous([2, 3]), b, Layout.Contiguous([3, 4]), Buffer(DType.Float32, 8));
        var call = Assert.Single(_gpu.Gemms);
        Assert.Equal((false, false, 4, 2, 3, 4, 3, 4, 1), (call.TransposeA, call.TransposeB, call.M, call.N, call.K, call.Lda, call.Ldb, call.Ldc, call.Batch));
        Assert.Equal(((CudaStorage)b).Pointer, call.A); // B goes first
        Assert.False(call.Tf32);
    }

    [Fact]
    public void Transposed_operands_use_the_transpose_flags_not_copies()
    {
        var a = Buffer(DType.Float64, 6);
        var b = Buffer(DType.Float64, 12);
        _backend.MatMul(a, View([3, 2], t => t.Transpose()), b, View([4, 3], t => t.Transpose()), Buffer(DType.Float64, 8));
        var call = Assert.Single(_gpu.Gemms);
        Assert.Equal((true, true, 4, 2, 3, 3, 2), (call.TransposeA, call.TransposeB, call.M, call.N, call.K, call.Lda, call.Ldb));
        Assert.Empty(_gpu.Launches);
    }

    [Fact]
    public void Broadcast_batches_have_stride_0_and_batches_that_do_not_collapse_loop()
    {
        var a = Buffer(DType.Float32, 6);
        var b = Buffer(DType.Float32, 5 * 12);
        _backend.MatMul(a, View([2, 3], t => t.BroadcastTo([5, 2, 3])), b, Layout.Contiguous([5, 3, 4]), Buffer(DType.Float32, 40));
        var call = Assert.Single(_gpu.Gemms);
        Assert.Equal((5, 0L, 12L, 8L), (call.Batch, call.StrideB, call.StrideA, call.StrideC));

        _gpu.Gemms.Clear();
        // [2, 3] batches of a permuted view: the batch axes do not merge, so the outer one loops.
        var c = Buffer(DType.Float32, 6 * 4);
        _backend.MatMul(c, View([3, 2, 2, 2], t => t.Transpose(1, 0, 2, 3)), Buffer(DType.Float32, 6 * 4), Layout.Contiguous([2, 3, 2, 2]), Buffer(DType.Float32, 24));
        Assert.Equal(2, _gpu.Gemms.Count);
        Assert.All(_gpu.Gemms, g => Assert.Equal(3, g.Batch));
    }

    public static TheoryData<int[], bool, int[], bool> GemmShapes => new()
    {
        { [2, 3], false, [3, 4], false }, { [3, 2], true, [4, 3], true }, { [1, 3], false, [3, 1], false },
        { [3, 1], true, [1, 3], true }, { [4, 1], false, [1, 5], false }, { [1, 1], false, [1, 1], true },
        { [5, 1, 3], false, [5, 3, 1], true }, { [2, 5, 3], true, [2, 1, 5], true },
    };

    /// <summary>
    /// The argument rules cuBLAS checks before any work (cublas_api.h, cublas&lt;t&gt;gemmStridedBatched: it returns
    /// CUBLAS_STATUS_INVALID_VALUE unless lda ≥ max(1, op(A) is A ? m : k), ldb ≥ max(1, op(B) is B ? k : n) and
    /// ldc ≥ max(1, m)), for vectors and transposed views, where a single row or column has a free stride.
    /// </summary>
    [Theory]
    [MemberData(nameof(GemmShapes))]
    public void Every_gemm_passes_the_leading_dimension_checks_of_cublas(int[] aShape, bool aTransposed, int[] bShape, bool bTransposed)
    {
        static Layout Of(int[] shape, bool transposed) => transposed
            ? View([.. shape[..^2], shape[^1], shape[^2]], t => t.Transpose([.. Enumerable.Range(0, shape.Length - 2), shape.Length - 1, shape.Length - 2]))
            : Layout.Contiguous(shape);
        int size(int[] s) => s.Aggregate(1, (p, d) => p * d);
        int m = aShape[^2], n = bShape[^1], batch = size(aShape[..^2]);
        _backend.MatMul(Buffer(DType.Float32, size(aShape)), Of(aShape, aTransposed), Buffer(DType.Float32, size(bShape)), Of(bShape, bTransposed),
            Buffer(DType.Float32, batch * m * n));
        var call = Assert.Single(_gpu.Gemms);
        Assert.True(call.Lda >= Math.Max(1, call.TransposeA ? call.K : call.M), $"lda {call.Lda}");
        Assert.True(call.Ldb >= Math.Max(1, call.TransposeB ? call.N : call.K), $"ldb {call.Ldb}");
        Assert.True(call.Ldc >= Math.Max(1, call.M), $"ldc {call.Ldc}");
        Assert.Equal((n, m, batch), (call.M, call.N, call.Batch));
    }

    [Fact]
    public void A_matrix_that_is_neither_row_nor_column_contiguous_is_packed_first()
    {
        var a = Buffer(DType.Float32, 3);
        _backend.MatMul(a, View([1, 3], t => t.BroadcastTo([2, 3])), Buffer(DType.Float32, 12), Layout.Contiguous([3, 4]), Buffer(DType.Float32, 8));
        Assert.Equal(["copy_f32_r2"], Launched());
        Assert.Equal(3, Assert.Single(_gpu.Gemms).Ldb);
    }

    [Fact]
    public void Tf32_is_used_only_when_allowed_and_only_for_float32()
    {
        try
        {
            CudaSettings.AllowTf32 = true;
            _backend.MatMul(Buffer(DType.Float32, 4), Layout.Contiguous([2, 2]), Buffer(DType.Float32, 4), Layout.Contiguous([2, 2]), Buffer(DType.Float32, 4));
            _backend.MatMul(Buffer(DType.Float64, 4), Layout.Contiguous([2, 2]), Buffer(DType.Float64, 4), Layout.Contiguous([2, 2]), Buffer(DType.Float64, 4));
        }
        finally
        {
            CudaSettings.AllowTf32 = false;
        }
        Assert.Equal([true, false], _gpu.Gemms.Select(g => g.Tf32));
    }

    [Fact]
    public void Scatter_add_sorts_its_keys_in_shared_memory_then_across_blocks()
    {
        var updates = Buffer(DType.Float32, 5000);
        var indices = Buffer(DType.Int64, 5000);
        _backend.ScatterAdd(updates, Layout.Contiguous([5000]), 0, indices, Layout.Contiguous([5000]), Buffer(DType.Float32, 10), [10]);
        // 5000 keys pad to 8192; blocks sort 2048; then k = 4096 (j = 2048) and k = 8192 (j = 4096, 2048), each ending in shared memory.
        Assert.Equal(["scatter_keys_i64_p1", "bitonic_block", "bitonic_step", "bitonic_block", "bitonic_step", "bitonic_step", "bitonic_block",
            "scatter_bounds", "scatter_add_f32_o1_i1"], Launched());
        Assert.All(_gpu.Launches.Where(l => l.Name == "bitonic_block"), l => Assert.Equal((1024u, 16384u), (l.Block, l.Shared)));
    }

    [Fact]
    public void Reductions_pick_a_thread_per_output_for_short_runs_and_chunks_for_long_ones()
    {
        _backend.Reduce(ReduceOp.Sum, Buffer(DType.Float32, 40), Layout.Contiguous([10, 4]), [1], Buffer(DType.Float32, 10));
        _backend.Reduce(ReduceOp.Max, Buffer(DType.Float64, 1 << 20), Layout.Contiguous([1 << 20]), [0], Buffer(DType.Float64, 1));
        _backend.Reduce(ReduceOp.Sum, Buffer(DType.Int32, 300 * 64), Layout.Contiguous([300, 64]), [1], Buffer(DType.Int32, 300));
        Assert.Equal(["reduce_sum_f32_k1_r1_seq", "reduce_max_f64_k1_r1_part", "reduce_max_f64_k1_r1_of_parts", "reduce_sum_i32_k1_r1"], Launched());
        Assert.Equal(64u, _gpu.Launches[1].Grid.Y); // 2^20 / 16384 chunks
    }

    [Fact]
    public void Float64_normal_draws_are_the_cpus_bits_and_uniform_ones_run_on_the_device()
    {
        var normal = Tensor.RandomNormal([100], new Generator(9), 1, 2, DType.Float64, D);
        var cpu = Tensor.RandomNormal([100], new Generator(9), 1, 2, DType.Float64, Device.Cpu);
        Assert.Equal(cpu.ToArray<double>(), normal.ToArray<double>());
        Assert.Empty(_gpu.Launches);
        _ = Tensor.RandomUniform([100], new Generator(9), 0, 1, DType.Float64, D);
        Assert.Equal(["random_uniform_f64"], Launched());
    }

    [Fact]
    public void Dropped_tensors_come_back_through_collections_the_allocator_asks_for()
    {
        var backend = new CudaBackend(new FakeGpu(), 0, missBudget: 1 << 20, loanBudget: 4 << 20);
        Work(backend, 1); // the scalar constant 1, cached per device, stays
        Collect();
        long live = backend.Memory.AllocatedBytes;
        Work(backend, 2000); // 32 KiB of buffers each, 64 MiB in all
        // Without collections prompted by its own accounting, every buffer would still be reserved.
        Assert.InRange(backend.Memory.ReservedBytes, 1, 8 << 20);
        Collect();
        Assert.Equal(live, backend.Memory.AllocatedBytes);

        static void Collect()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    // Apart, so that no stack slot of the test method keeps the last tensors alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Work(CudaBackend backend, int steps)
    {
        using (Device.Use(backend.Device))
            for (int i = 0; i < steps; i++) _ = (Tensor.Zeros([64, 64]) + 1).Sum();
    }

    [Fact]
    public void A_small_device_survives_a_loop_whose_garbage_exceeds_it()
    {
        var small = new CudaBackend(new FakeGpu(capacity: 16 << 20), 0);
        for (int i = 0; i < 40; i++) _ = small.Allocate(DType.Float32, 1 << 20, zeroed: false); // 4 MiB each, 160 MiB in all
        Assert.InRange(small.Memory.ReservedBytes, 4 << 20, 16 << 20);
    }
}

/// <summary>The internal storage behind a tensor, for tests that call the backend directly.</summary>
internal static class Internals
{
    public static Storage StorageOf(Tensor t) =>
        (Storage)typeof(Tensor).GetProperty("Storage", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(t)!;
}
