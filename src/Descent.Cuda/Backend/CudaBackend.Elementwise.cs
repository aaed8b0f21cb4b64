using Descent.Backends;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

// The elementwise primitives: one generated map kernel each, over the operands' jointly collapsed layouts.
internal sealed partial class CudaBackend
{
    public void Copy(Storage src, Layout srcLayout, Storage dst, Layout dstLayout)
    {
        var (x, y) = (Own(src, "Copy"), Own(dst, "Copy"));
        Expect("Copy", src.DType, dst);
        if (srcLayout.Size == 0) return;
        if (srcLayout.IsContiguous && dstLayout.IsContiguous)
        {
            _gpu.CopyDevice(y.At(dstLayout.Offset), x.At(srcLayout.Offset), (long)srcLayout.Size * CTypes.Size(src.DType), "Copy");
            return;
        }
        var l = Strided.Collapse(srcLayout.Shape, dstLayout, srcLayout);
        var kernel = Kernel(new("copy", (int)src.DType, l[0].Rank), static k => ElementwiseKernels.Copy((DType)k.A, k.B));
        Launch(kernel, srcLayout.Size, KernelArgs.Start().Int(srcLayout.Size).Pointer(y).Layout(l[0]).Pointer(x).Layout(l[1]), "Copy");
    }

    public void Fill(Storage dst, Layout dstLayout, double value)
    {
        var y = Own(dst, "Fill");
        if (dstLayout.Size == 0) return;
        var args = KernelArgs.Start().Int(dstLayout.Size).Pointer(y);
        var l = Strided.Collapse(dstLayout.Shape, dstLayout)[0];
        args.Layout(l);
        // The value is converted here, so an integer that cannot hold it throws (as on the CPU) before anything is queued.
        args.Scalar(dst.DType, value);
        var kernel = Kernel(new("fill", (int)dst.DType, l.Rank), static k => ElementwiseKernels.Fill((DType)k.A, k.B));
        Launch(kernel, dstLayout.Size, args, "Fill");
    }

    public void Unary(UnaryOp op, Storage x, Layout xLayout, Storage y)
    {
        var (input, output) = (Own(x, $"{op}"), Own(y, $"{op}"));
        Expect($"{op}", x.DType, y);
        if (x.DType == DType.Bool) throw new ArgumentException($"{op}: not defined for bool tensors.");
        if (x.DType.IsInteger() && !ElementwiseKernels.IntegerUnary(op))
            throw new ArgumentException($"{op}: not defined for {x.DType.Name()} tensors; cast to a float dtype first.");
        if (xLayout.Size == 0) return;
        var l = Strided.Collapse(xLayout.Shape, Layout.Contiguous([.. xLayout.Shape]), xLayout);
        var kernel = Kernel(new("unary", (int)op, (int)x.DType, l[0].Rank), static k => ElementwiseKernels.Unary((UnaryOp)k.A, (DType)k.B, k.C));
        Launch(kernel, xLayout.Size, KernelArgs.Start().Int(xLayout.Size).Pointer(output).Layout(l[0]).Pointer(input).Layout(l[1]), $"{op}");
    }

    public void Binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        var (left, right, output) = (Own(a, $"{op}"), Own(b, $"{op}"), Own(y, $"{op}"));
        Expect($"{op}", y.DType, a, b);
        if (y.DType == DType.Bool) throw new ArgumentException($"{op}: not defined for bool tensors.");
        if (op == BinaryOp.Pow && y.DType.IsInteger())
            throw new ArgumentException($"Pow: not defined for {y.DType.Name()} tensors; cast to a float dtype first.");
        if (aLayout.Size == 0) return;
        var l = Strided.Collapse(aLayout.Shape, Layout.Contiguous([.. aLayout.Shape]), aLayout, bLayout);
        var kernel = Kernel(new("binary", (int)op, (int)y.DType, l[0].Rank), static k => ElementwiseKernels.Binary((BinaryOp)k.A, (DType)k.B, k.C));
        Launch(kernel, aLayout.Size,
            KernelArgs.Start().Int(aLayout.Size).Pointer(output).Layout(l[0]).Pointer(left).Layout(l[1]).Pointer(right).Layout(l[2]), $"{op}");
    }

    public void Compare(CompareOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        var (left, right, output) = (Own(a, $"{op}"), Own(b, $"{op}"), Own(y, $"{op}"));
        Expect($"{op}", a.DType, b);
        Expect($"{op}", DType.Bool, y);
        if (a.DType == DType.Bool && op is not (CompareOp.Equal or CompareOp.NotEqual))
            throw new ArgumentException($"{op}: bool tensors only compare for equality; cast them first.");
        if (aLayout.Size == 0) return;
        var l = Strided.Collapse(aLayout.Shape, Layout.Contiguous([.. aLayout.Shape]), aLayout, bLayout);
        var kernel = Kernel(new("compare", (int)op, (int)a.DType, l[0].Rank), static k => ElementwiseKernels.Compare((CompareOp)k.A, (DType)k.B, k.C));
        Launch(kernel, aLayout.Size,
            KernelArgs.Start().Int(aLayout.Size).Pointer(output).Layout(l[0]).Pointer(left).Layout(l[1]).Pointer(right).Layout(l[2]), $"{op}");
    }

    public void Where(Storage condition, Layout conditionLayout, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        var (test, left, right, output) = (Own(condition, "Where"), Own(a, "Where"), Own(b, "Where"), Own(y, "Where"));
        Expect("Where", DType.Bool, condition);
        Expect("Where", y.DType, a, b);
        if (conditionLayout.Size == 0) return;
        var l = Strided.Collapse(conditionLayout.Shape, Layout.Contiguous([.. conditionLayout.Shape]), conditionLayout, aLayout, bLayout);
        var kernel = Kernel(new("where", (int)y.DType, l[0].Rank), static k => ElementwiseKernels.Where((DType)k.A, k.B));
        Launch(kernel, conditionLayout.Size, KernelArgs.Start().Int(conditionLayout.Size).Pointer(output).Layout(l[0])
            .Pointer(test).Layout(l[1]).Pointer(left).Layout(l[2]).Pointer(right).Layout(l[3]), "Where");
    }

    public void Cast(Storage x, Layout xLayout, Storage y)
    {
        var (input, output) = (Own(x, "Cast"), Own(y, "Cast"));
        if (xLayout.Size == 0) return;
        if (x.DType == y.DType)
        {
            Copy(x, xLayout, y, Layout.Contiguous([.. xLayout.Shape]));
            return;
        }
        var l = Strided.Collapse(xLayout.Shape, Layout.Contiguous([.. xLayout.Shape]), xLayout);
        var kernel = Kernel(new("cast", (int)x.DType, (int)y.DType, l[0].Rank), static k => ElementwiseKernels.Cast((DType)k.A, (DType)k.B, k.C));
        Launch(kernel, xLayout.Size, KernelArgs.Start().Int(xLayout.Size).Pointer(output).Layout(l[0]).Pointer(input).Layout(l[1]), "Cast");
    }

    public void ScaledAdd(Storage y, Layout yLayout, Storage x, Layout xLayout, double alpha)
    {
        var (output, input) = (Own(y, "ScaledAdd"), Own(x, "ScaledAdd"));
        Expect("ScaledAdd", y.DType, x);
        if (!y.DType.IsFloat()) throw new ArgumentException($"ScaledAdd: not defined for {y.DType.Name()} tensors.");
        if (yLayout.Size == 0) return;
        var l = Strided.Collapse(yLayout.Shape, yLayout, yLayout, xLayout);
        var kernel = Kernel(new("scaled_add", (int)y.DType, l[0].Rank), static k => ElementwiseKernels.ScaledAdd((DType)k.A, k.B));
        // alpha is rounded to the dtype first, as the unfused x * alpha would round it.
        Launch(kernel, yLayout.Size, KernelArgs.Start().Int(yLayout.Size).Pointer(output).Layout(l[0])
            .Pointer(output).Layout(l[1]).Pointer(input).Layout(l[2]).Scalar(y.DType, alpha), "ScaledAdd");
    }

    public void BiasActivation(Storage y, Layout yLayout, Storage? bias, Layout? biasLayout, FusedActivation activation)
    {
        var output = Own(y, "Dense");
        var b = bias is null ? null : Own(bias, "Dense");
        Expect("Dense", y.DType, bias);
        if (!y.DType.IsFloat()) throw new ArgumentException($"Dense: not defined for {y.DType.Name()} tensors.");
        if (yLayout.Rank != 2) throw new ArgumentException($"Dense: the bias epilogue takes a [rows, cols] output, got {yLayout}.");
        if (b is not null && (biasLayout is null || biasLayout.Size != yLayout.Shape[1]))
            throw new ArgumentException($"Dense: the bias has {biasLayout?.Size ?? 0} elements for {yLayout.Shape[1]} columns.");
        if ((activation == FusedActivation.Linear && b is null) || yLayout.Size == 0) return;
        int rank;
        var args = KernelArgs.Start().Int(yLayout.Size).Pointer(output);
        if (b is null)
        {
            var l = Strided.Collapse(yLayout.Shape, yLayout, yLayout);
            rank = l[0].Rank;
            args.Layout(l[0]).Pointer(output).Layout(l[1]);
        }
        else
        {
            // The bias seen with the output's shape: stride 0 down the rows.
            var l = Strided.Collapse(yLayout.Shape, [yLayout.Strides, yLayout.Strides, [0, biasLayout!.Strides[^1]]],
                [yLayout.Offset, yLayout.Offset, biasLayout.Offset]);
            rank = l[0].Rank;
            args.Layout(l[0]).Pointer(output).Layout(l[1]).Pointer(b).Layout(l[2]);
        }
        var kernel = Kernel(new("bias", (int)y.DType, (int)activation, b is null ? 0 : 1, rank),
            static k => ElementwiseKernels.BiasActivation((DType)k.A, (FusedActivation)k.B, k.C == 1, k.D));
        Launch(kernel, yLayout.Size, args, "Dense");
    }
}
