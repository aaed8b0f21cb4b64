using Descent.Backends;
using Descent.Backends.Reference;
using Xunit.Sdk;
using static Descent.Tests.Backends.BackendAgreement;

namespace Descent.Tests.Backends;

/// <summary>The reference device as a device: naming it, moving tensors to and from it, its buffers, and its refusal of foreign ones.</summary>
public class ReferenceDeviceTests
{
    private static readonly IBackend Cpu = Device.Cpu.Backend, Reference = Device.Reference.Backend;
    private const DType F = DType.Float32, B = DType.Bool, I = DType.Int32;
    private static readonly Layout Six = Layout.Contiguous([2, 3]);

    // A 2x3 one-channel image and a 1x1 kernel: every convolution buffer fits in six elements.
    private static readonly Layout Image = Layout.Contiguous([1, 2, 3, 1]), Pixel = Layout.Contiguous([1, 1, 1, 1]);
    private static readonly Conv2DGeometry OneByOne = new(1, 2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 2, 3);

    // Every primitive, with the dtypes of the buffers it takes (all of length 6) and a valid call on them.
    private static readonly Dictionary<string, (DType[] Buffers, Action<Storage[]> Call)> Primitives = new()
    {
        ["Upload"] = ([F], s => Reference.Upload<float>(new float[6], s[0])),
        ["Download"] = ([F], s => Reference.Download<float>(s[0], 0, new float[6])),
        ["Random"] = ([F], s => Reference.Random(RandomDistribution.Normal, 1, 0, 0, 1, s[0])),
        ["Verify"] = ([B], s => Reference.Verify(s[0], () => new InvalidOperationException("verified false"))),
        ["Copy"] = ([F, F], s => Reference.Copy(s[0], Six, s[1], Six)),
        ["Fill"] = ([F], s => Reference.Fill(s[0], Six, 2)),
        ["Unary"] = ([F, F], s => Reference.Unary(UnaryOp.Exp, s[0], Six, s[1])),
        ["Binary"] = ([F, F, F], s => Reference.Binary(BinaryOp.Add, s[0], Six, s[1], Six, s[2])),
        ["Compare"] = ([F, F, B], s => Reference.Compare(CompareOp.Less, s[0], Six, s[1], Six, s[2])),
        ["Where"] = ([B, F, F, F], s => Reference.Where(s[0], Six, s[1], Six, s[2], Six, s[3])),
        ["Reduce"] = ([F, F], s => Reference.Reduce(ReduceOp.Sum, s[0], Six, [1], s[1])),
        ["ArgReduce"] = ([F, DType.Int64], s => Reference.ArgReduce(ReduceOp.Max, s[0], Six, 1, s[1])),
        ["MatMul"] = ([F, F, F], s => Reference.MatMul(s[0], Six, s[1], Layout.Contiguous([3, 2]), s[2])),
        ["Gather"] = ([F, I, F], s => Reference.Gather(s[0], Six, 1, s[1], Layout.Contiguous([2]), s[2])),
        ["ScatterAdd"] = ([F, I, F], s => Reference.ScatterAdd(s[0], Layout.Contiguous([2, 2]), 1, s[1], Layout.Contiguous([2]), s[2], [2, 3])),
        ["BiasActivation"] = ([F, F], s => Reference.BiasActivation(s[0], Six, s[1], Layout.Contiguous([3]), FusedActivation.Relu)),
        ["ScaledAdd"] = ([F, F], s => Reference.ScaledAdd(s[0], Six, s[1], Six, 0.5)),
        ["AdamStep"] = ([F, F, F, F], s => Reference.AdamStep(s[0], Six, s[1], Six, s[2], s[3], null, new AdamStepArgs(0.9, 0.999, 0.1, 0.03, 1e-8, 0, 1))),
        ["Cast"] = ([F, I], s => Reference.Cast(s[0], Six, s[1])),
        ["SoftmaxCrossEntropy"] = ([F, I, F, F], s => Reference.SoftmaxCrossEntropy(s[0], Six, s[1], Layout.Contiguous([2]), s[2], s[3])),
        ["Conv2D"] = ([F, F, F], s => Reference.Conv2D(s[0], Image, s[1], Pixel, s[2], OneByOne)),
        ["Conv2DBackwardInput"] = ([F, F, F], s => Reference.Conv2DBackwardInput(s[0], Image, s[1], Pixel, s[2], OneByOne)),
        ["Conv2DBackwardFilter"] = ([F, F, F], s => Reference.Conv2DBackwardFilter(s[0], Image, s[1], Image, s[2], OneByOne)),
        ["MaxPool2D"] = ([F, F, I], s => Reference.MaxPool2D(s[0], Image, s[1], s[2], OneByOne)),
    };


    public static TheoryData<string, int> ForeignBuffers
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var (name, (buffers, _)) in Primitives)
                for (int position = 0; position < buffers.Length; position++) data.Add(name, position);
            return data;
        }
    }

    // Reference buffers of ones (true, index 1, label 1: valid for every call); the one at `foreign` comes from the CPU.
    private static Storage[] Buffers(DType[] dtypes, int foreign) =>
    [
        .. dtypes.Select((dtype, i) =>
        {
            var backend = i == foreign ? Cpu : Reference;
            var buffer = backend.Allocate(dtype, 6, zeroed: true);
            backend.Fill(buffer, Layout.Contiguous([6]), 1);
            return buffer;
        }),
    ];

    [Fact]
    public void Every_primitive_covered_by_the_refusal_test_runs_on_reference_buffers()
    {
        // Every IBackend method that takes a buffer is in the table, so a new primitive must join it.
        var takingBuffers = typeof(IBackend).GetMethods().Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(Storage))).Select(m => m.Name);
        Assert.Equal(takingBuffers.Order(), Primitives.Keys.Order());
        foreach (var (_, (buffers, call)) in Primitives) call(Buffers(buffers, foreign: -1));
    }

    [Theory]
    [MemberData(nameof(ForeignBuffers))]
    public void A_buffer_from_another_backend_is_refused_naming_the_op_and_the_backend(string primitive, int position)
    {
        var (buffers, call) = Primitives[primitive];
        var e = Assert.Throws<ArgumentException>(() => call(Buffers(buffers, position)));
        Assert.StartsWith($"{primitive}: the reference backend was given a cpu buffer", e.Message);
    }

    [Fact]
    public void The_reference_device_is_named_parsed_and_used_as_a_default()
    {
        Assert.Same(Device.Reference, Device.Parse("reference"));
        Assert.Same(Device.Reference, Device.Parse(" Reference:0 "));
        Assert.Equal("reference", Device.Reference.ToString());
        Assert.Equal(("reference", 0, "reference"), (Device.Reference.Kind, Device.Reference.Ordinal, Device.Reference.Backend.Name));
        Assert.NotSame(Device.Cpu, Device.Reference);
        Assert.Contains("only one reference device", Assert.Throws<ArgumentException>(() => Device.Parse("reference:1")).Message);
        using (Device.Use(Device.Reference))
        {
            var t = Tensor.Zeros([2]);
            Assert.Same(Device.Reference, t.Device);
            Assert.IsType<ReferenceStorage>(t.Storage);
        }
        Assert.Same(Device.Cpu, Tensor.Zeros([2]).Device);
    }

    [Fact]
    public void Every_dtype_round_trips_through_the_reference_device_from_any_layout()
    {
        var random = new Random(7);
        foreach (var dtype in Enum.GetValues<DType>())
            foreach (var arrangement in Enum.GetValues<Arrangement>())
            {
                var x = Make(random, dtype, [3, 4, 5], arrangement, Values.Extreme);
                var cpu = new Tensor(x.On(Cpu), x.Layout);
                var there = cpu.To(Device.Reference);
                var back = there.To(Device.Cpu);
                Assert.Same(Device.Reference, there.Device);
                Assert.Same(Device.Cpu, back.Device);
                AssertClose(Host(cpu), Host(there), Within.Exactly, $"{dtype} {arrangement} on the reference device");
                AssertClose(Host(cpu), Host(back), Within.Exactly, $"{dtype} {arrangement} back on the CPU");
            }
    }

    private static Array Host(Tensor t) => t.DType switch
    {
        DType.Float32 => t.ToArray<float>(),
        DType.Float64 => t.ToArray<double>(),
        DType.Int32 => t.ToArray<int>(),
        DType.Int64 => t.ToArray<long>(),
        _ => t.ToArray<bool>(),
    };

    [Fact]
    public void Float32_buffers_hold_float32_values_and_int64_stays_exact()
    {
        var third = (ReferenceStorage)Reference.Allocate(DType.Float32, 1, zeroed: false);
        var one = Reference.Allocate(DType.Float32, 1, zeroed: false);
        var three = Reference.Allocate(DType.Float32, 1, zeroed: false);
        Reference.Fill(one, Layout.Contiguous([1]), 1);
        Reference.Fill(three, Layout.Contiguous([1]), 3);
        Reference.Binary(BinaryOp.Divide, one, Layout.Contiguous([1]), three, Layout.Contiguous([1]), third);
        Assert.Equal((double)(1f / 3f), third.Real(0));
        Reference.Fill(third, Layout.Contiguous([1]), 0.1);
        Assert.Equal((double)0.1f, third.Real(0));

        // 2⁵³ + 1 is the first integer a double cannot hold.
        long big = (1L << 53) + 1;
        var sum = Tensor.FromArray(new[] { big, 2 }, [2], Device.Reference).Sum();
        Assert.Equal(big + 2, sum.Item<long>());
        Assert.Equal([big, -big], Tensor.FromArray(new[] { big, -big }, [2], Device.Reference).ToArray<long>());
    }

    [Fact]
    public void Memory_nobody_zeroed_reads_as_nan_so_kernels_that_skip_elements_show()
    {
        Assert.All(Download(Reference, Reference.Allocate(DType.Float32, 4, zeroed: false)).Cast<float>(), v => Assert.True(float.IsNaN(v)));
        Assert.All(Download(Reference, Reference.Allocate(DType.Float64, 4, zeroed: true)).Cast<double>(), v => Assert.Equal(0.0, v));
        Assert.All(Download(Reference, Reference.Allocate(DType.Int64, 4, zeroed: true)).Cast<long>(), v => Assert.Equal(0L, v));
    }

    [Fact]
    public void Verify_throws_the_failure_at_once_when_the_flag_is_false()
    {
        var flag = Reference.Allocate(DType.Bool, 1, zeroed: true);
        Assert.Equal("range", Assert.Throws<InvalidOperationException>(() => Reference.Verify(flag, () => new InvalidOperationException("range"))).Message);
        Reference.Fill(flag, Layout.Contiguous([1]), 1);
        Reference.Verify(flag, () => new InvalidOperationException("range"));
        Assert.Throws<ArgumentException>(() => Reference.Verify(Reference.Allocate(DType.Int32, 1, zeroed: true), () => new InvalidOperationException()));
        Assert.Contains("Gather: index 5 is out of range [0, 3)", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Tensor.FromArray(new[] { 1f, 2f, 3f }, [3], Device.Reference).Gather(Tensor.FromArray(new[] { 5 }, [1], Device.Reference))).Message);
    }

    [Fact]
    public void Upload_and_download_check_the_dtype_and_the_length()
    {
        var buffer = Reference.Allocate(DType.Float32, 4, zeroed: true);
        Assert.Contains("holds float32, not float64", Assert.Throws<ArgumentException>(() => Reference.Upload<double>(new double[4], buffer)).Message);
        Assert.Throws<ArgumentException>(() => Reference.Upload<float>(new float[5], buffer));
        Assert.Throws<ArgumentException>(() => Reference.Download<float>(buffer, 1, new float[4]));
        var part = new float[2];
        Reference.Upload<float>([1, 2, 3, 4], buffer);
        Reference.Download<float>(buffer, 2, part);
        Assert.Equal([3f, 4f], part);
    }

    [Fact]
    public void The_agreement_check_catches_one_ulp_a_signed_zero_and_a_misplaced_term()
    {
        Assert.ThrowsAny<XunitException>(() => AssertClose(new[] { 1f }, new[] { MathF.BitIncrement(1f) }, Within.Exactly, "one ulp"));
        Assert.ThrowsAny<XunitException>(() => AssertClose(new[] { 0.0 }, new[] { -0.0 }, Within.Exactly, "signed zero"));
        Assert.ThrowsAny<XunitException>(() => AssertClose(new[] { 1L << 53 }, new[] { (1L << 53) + 1 }, Within.Exactly, "int64"));
        AssertClose(new[] { float.NaN }, new[] { -float.NaN }, Within.Exactly, "any NaN matches any NaN");
        // Summing the wrong axis of a square matrix gives outputs of the right length and the wrong values.
        var x = Make(new Random(3), DType.Float32, [4, 4], Arrangement.Contiguous, Values.Finite);
        Assert.ThrowsAny<XunitException>(() => BackendAgreement.Agree(Cpu, Reference, k =>
        {
            var y = k.Allocate(DType.Float32, 4, zeroed: false);
            k.Reduce(ReduceOp.Sum, x.On(k), x.Layout, k == Cpu ? [0] : [1], y);
            return Download(k, y);
        }, Within.Sums(DType.Float32, 4, 3), "wrong axis"));
    }

    [Fact]
    public void A_dense_training_step_on_the_reference_device_matches_the_cpu()
    {
        static double[] Step(Device device)
        {
            using var scope = Device.Use(device);
            var g = new Generator(3);
            var x = Tensor.RandomNormal([5, 8], g).Transpose();
            var w = new Variable(Tensor.RandomNormal([5, 3], g));
            var b = new Variable(Tensor.RandomNormal([3], g));
            var labels = Tensor.FromArray(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 }, [8], device);
            using var tape = new GradientTape();
            var loss = Tensor.SparseSoftmaxCrossEntropy(Tensor.Dense(x, w, b, FusedActivation.Tanh), labels).Mean();
            var grads = tape.Gradient(loss, [w, b]);
            w.AssignAdd(grads[0]!, -0.5);
            b.AssignAdd(grads[1]!, -0.5);
            Assert.Same(device, loss.Device);
            return [loss.Item<double>(), .. w.ToArray<double>(), .. b.ToArray<double>()];
        }
        Check.Close(Step(Device.Cpu), Step(Device.Reference), 1e-6, "loss and updated weights");
    }
}
