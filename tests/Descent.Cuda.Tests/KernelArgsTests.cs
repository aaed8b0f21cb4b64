using System.Buffers.Binary;
using Descent.Cuda.Backend;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Tests;

/// <summary>How a launch's arguments are packed, and that a mismatch with the kernel's parameters is caught before the driver sees it.</summary>
public class KernelArgsTests
{
    [Fact]
    public void Arguments_sit_at_their_natural_alignment_and_layouts_as_offset_extents_strides()
    {
        var args = KernelArgs.Start().Int(7).Pointer(0x1234).Layout(new Strided(5, [2, 3], [3, 1])).Double(0.5).Float(2f);
        Assert.Equal([0, 8, 16, 40, 48], Enumerable.Range(0, args.Count).Select(args.OffsetOf));
        var b = args.Buffer.ToArray();
        Assert.Equal(7, BinaryPrimitives.ReadInt32LittleEndian(b));
        Assert.Equal(0x1234ul, BinaryPrimitives.ReadUInt64LittleEndian(b[8..]));
        Assert.Equal([5, 2, 3, 3, 1], Enumerable.Range(0, 5).Select(i => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(16 + 4 * i))));
        Assert.Equal(0.5, BinaryPrimitives.ReadDoubleLittleEndian(b[40..]));
        Assert.Equal(2f, BinaryPrimitives.ReadSingleLittleEndian(b[48..]));
        // The same footprints the kernel parameters declare.
        Assert.Equal((20, 4), KernelParam.Lay("l", 2).Footprint);
        Assert.Equal((8, 8), KernelParam.In("x", "float").Footprint);
    }

    [Fact]
    public void Arguments_that_do_not_match_the_kernel_are_refused_naming_both_lists()
    {
        var spec = ElementwiseKernels.Copy(DType.Float32, 2);
        var args = KernelArgs.Start().Int(4).Pointer(0).Layout(Strided.Contiguous(4)).Pointer(0).Layout(Strided.Contiguous(4));
        var e = Assert.Throws<InvalidOperationException>(() => args.CheckAgainst(spec, "Copy"));
        Assert.Equal("Copy: kernel copy_f32_r2 takes (Int32, Pointer, Layout2, Pointer, Layout2) but was given (Int32, Pointer, Layout1, Pointer, Layout1); " +
            "this is a bug in Descent.Cuda.", e.Message);
        args = KernelArgs.Start().Int(4).Pointer(0).Layout(new Strided(0, [2, 2], [2, 1])).Pointer(0);
        Assert.Throws<InvalidOperationException>(() => args.CheckAgainst(spec, "Copy"));
    }

    [Fact]
    public void Scalars_take_the_kernels_type_for_the_dtype_and_refuse_what_an_integer_cannot_hold()
    {
        var args = KernelArgs.Start().Scalar(DType.Float32, 0.1).Scalar(DType.Float64, 0.1).Scalar(DType.Int32, 3).Scalar(DType.Int64, -4).Scalar(DType.Bool, 2);
        Assert.Equal([ParamKind.Float32, ParamKind.Float64, ParamKind.Int32, ParamKind.Int64, ParamKind.Int32], Enumerable.Range(0, 5).Select(i => args.KindOf(i).Kind));
        Assert.Equal(0.1f, BinaryPrimitives.ReadSingleLittleEndian(args.Buffer)); // rounded to float32 once
        Assert.Throws<OverflowException>(() => KernelArgs.Start().Scalar(DType.Int32, 3e9));
    }
}
