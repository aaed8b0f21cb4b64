using Descent.Backends;
using static Descent.Tests.Backends.BackendAgreement;

namespace Descent.Tests.Backends;

/// <summary>
/// The convolution and pooling primitives on the reference device against the CPU, every dtype, operands in every
/// arrangement, over geometries with strides, dilations and padding on either side.
/// </summary>
public class ReferenceConvTests
{
    private static readonly IBackend Cpu = Device.Cpu.Backend, Reference = Device.Reference.Backend;
    private static readonly Arrangement[] All = Enum.GetValues<Arrangement>();

    public static TheoryData<DType> DTypeCases => [.. Enum.GetValues<DType>()];

    // batch, h, w, cin, kh, kw, cout, strides, dilations, padding (top, left), output (ho, wo).
    private static readonly Conv2DGeometry[] Geometries =
    [
        new(2, 5, 4, 3, 3, 3, 4, 1, 1, 1, 1, 1, 1, 5, 4),
        new(1, 6, 5, 2, 3, 2, 3, 2, 2, 1, 1, 0, 0, 3, 3),
        new(2, 7, 6, 2, 2, 3, 17, 1, 2, 2, 1, 0, 0, 5, 2),
        new(1, 4, 4, 5, 3, 3, 2, 2, 1, 1, 2, 2, 1, 3, 3),
    ];

    private static void Agree(Func<IBackend, Array> run, Within within, string what, Type? throws = null) =>
        BackendAgreement.Agree(Cpu, Reference, run, within, what, throws);

    private static Type? Rejects(DType dtype) => dtype.IsFloat() ? null : typeof(ArgumentException);

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void Conv2D_and_its_backward_products_match_the_cpu(DType dtype)
    {
        var random = new Random(2000 + (int)dtype);
        foreach (var g in Geometries)
            foreach (var first in All)
                foreach (var second in All)
                {
                    var x = Make(random, dtype, g.InputShape, first, Values.Finite);
                    var w = Make(random, dtype, g.KernelShape, second, Values.Finite);
                    var dy = Make(random, dtype, g.OutputShape, first, Values.Finite);
                    int k = g.KernelHeight * g.KernelWidth;
                    var within = Within.Sums(dtype, k * Math.Max(g.InChannels, g.OutChannels), 9);
                    string what = $"{dtype} {g} {first}, {second}";
                    Agree(b =>
                    {
                        var y = b.Allocate(dtype, ShapeUtil.SizeOf(g.OutputShape), zeroed: false);
                        b.Conv2D(x.On(b), x.Layout, w.On(b), w.Layout, y, g);
                        return Download(b, y);
                    }, within, $"Conv2D {what}", Rejects(dtype));
                    Agree(b =>
                    {
                        var dx = b.Allocate(dtype, ShapeUtil.SizeOf(g.InputShape), zeroed: false);
                        b.Conv2DBackwardInput(dy.On(b), dy.Layout, w.On(b), w.Layout, dx, g);
                        return Download(b, dx);
                    }, within, $"Conv2DBackwardInput {what}", Rejects(dtype));
                    Agree(b =>
                    {
                        var dw = b.Allocate(dtype, ShapeUtil.SizeOf(g.KernelShape), zeroed: false);
                        b.Conv2DBackwardFilter(x.On(b), x.Layout, dy.On(b), dy.Layout, dw, g);
                        return Download(b, dw);
                    }, Within.Sums(dtype, g.Batch * g.OutHeight * g.OutWidth, 9), $"Conv2DBackwardFilter {what}", Rejects(dtype));
                }
    }

    [Theory]
    [MemberData(nameof(DTypeCases))]
    public void MaxPool2D_matches_the_cpu_with_ties_nans_and_signed_zeros(DType dtype)
    {
        var random = new Random(2100 + (int)dtype);
        Conv2DGeometry[] pools =
        [
            new(2, 4, 6, 3, 2, 2, 3, 2, 2, 1, 1, 0, 0, 2, 3),
            new(1, 5, 5, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 3, 3),
            new(1, 4, 5, 2, 3, 3, 2, 1, 1, 1, 1, 1, 1, 4, 5),
        ];
        foreach (var g in pools)
            foreach (var arrangement in All)
                foreach (var values in new[] { Values.Mixed, Values.Ties })
                {
                    var x = Make(random, dtype, g.InputShape, arrangement, values);
                    Agree(b =>
                    {
                        int n = ShapeUtil.SizeOf(g.OutputShape);
                        var (y, argmax) = (b.Allocate(dtype, n, zeroed: false), b.Allocate(DType.Int32, n, zeroed: false));
                        b.MaxPool2D(x.On(b), x.Layout, y, argmax, g);
                        return Download(b, y).Cast<object>().Concat(Download(b, argmax).Cast<object>()).ToArray();
                    }, Within.Exactly, $"MaxPool2D {dtype} {g} {arrangement} {values}", Rejects(dtype));
                }
    }
}
