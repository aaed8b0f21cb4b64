using Descent.Backends;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

internal sealed partial class CudaBackend
{
    public void SoftmaxCrossEntropy(Storage logits, Layout logitsLayout, Storage labels, Layout labelsLayout, Storage loss, Storage? gradient)
    {
        const string op = "SparseSoftmaxCrossEntropy";
        var (x, classes, losses) = (Own(logits, op), Own(labels, op), Own(loss, op));
        var dx = gradient is null ? null : Own(gradient, op);
        if (!logits.DType.IsFloat()) throw new ArgumentException($"{op}: logits must be float32 or float64, got {logits.DType.Name()}.");
        if (!labels.DType.IsInteger()) throw new ArgumentException($"{op}: labels must be int32 or int64, got {labels.DType.Name()}.");
        Expect(op, logits.DType, loss, gradient);
        if (logitsLayout.Rank != 2 || labelsLayout.Size != logitsLayout.Shape[0])
            throw new ArgumentException($"{op}: expects logits [n, c] and n labels, got {logitsLayout} and {labelsLayout.Size} labels.");
        int rows = logitsLayout.Shape[0], cols = logitsLayout.Shape[1];
        if (rows == 0) return;
        bool warp = cols <= FusedKernels.XentWarpColumns;
        var kernel = Kernel(new("xent", (int)logits.DType, (int)labels.DType, warp ? 1 : 0),
            static k => FusedKernels.SoftmaxCrossEntropy((DType)k.A, (DType)k.B, k.C == 1));
        var lx = new Strided(logitsLayout.Offset, [rows, cols], [logitsLayout.Strides[0], logitsLayout.Strides[1]]);
        var ll = Strided.Collapse(labelsLayout.Shape, labelsLayout)[0];
        if (ll.Rank != 1) throw new ArgumentException($"{op}: the labels' layout {labelsLayout} does not walk as one axis.");
        var args = KernelArgs.Start().Int(rows).Int(cols).Pointer(x).Layout(lx).Pointer(classes).Layout(ll).Pointer(losses).Pointer(dx).Int(dx is null ? 0 : 1);
        uint blocks = warp ? Blocks(rows * 32L, FusedKernels.XentThreads) : (uint)Math.Min(rows, 65535);
        _gpu.Launch(kernel, (blocks, 1, 1), FusedKernels.XentThreads, 0, args, op);
        args.Clear();
    }
}
