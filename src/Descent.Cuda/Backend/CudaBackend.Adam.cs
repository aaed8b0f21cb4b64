using Descent.Backends;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

internal sealed partial class CudaBackend
{
    public void AdamStep(Storage w, Layout wLayout, Storage g, Layout gLayout, Storage m, Storage v, Storage? vMax, AdamStepArgs args)
    {
        var (weights, gradient, mean, variance) = (Own(w, "AdamStep"), Own(g, "AdamStep"), Own(m, "AdamStep"), Own(v, "AdamStep"));
        var maxVariance = vMax is null ? null : Own(vMax, "AdamStep");
        Expect("AdamStep", w.DType, g, m, v, vMax);
        if (!w.DType.IsFloat()) throw new ArgumentException($"Adam: not defined for {w.DType.Name()} variables.");
        int n = wLayout.Size;
        if (gLayout.Size != n || m.Length < n || v.Length < n || (vMax is not null && vMax.Length < n))
            throw new ArgumentException($"AdamStep: the gradient and the moments must match the {n} weights.");
        if (n == 0) return;
        var l = Strided.Collapse(wLayout.Shape, wLayout, gLayout);
        var kernel = Kernel(new("adam", (int)w.DType, l[0].Rank), static k => AdamKernels.Step((DType)k.A, k.B));
        var a = KernelArgs.Start().Int(n).Pointer(weights).Layout(l[0]).Pointer(gradient).Layout(l[1])
            .Pointer(mean).Pointer(variance).Pointer(maxVariance)
            .Int(vMax is null ? 0 : 1).Int(args.DecayFactor != 1 ? 1 : 0).Int(args.L2 != 0 ? 1 : 0);
        // Each scalar rounded to the dtype once, as the unfused formula's constants are.
        a.Scalar(w.DType, args.Beta1).Scalar(w.DType, args.Beta2).Scalar(w.DType, 1 - args.Beta1).Scalar(w.DType, 1 - args.Beta2)
            .Scalar(w.DType, args.StepSize).Scalar(w.DType, args.Correction2).Scalar(w.DType, args.Epsilon).Scalar(w.DType, args.L2)
            .Scalar(w.DType, args.DecayFactor);
        Launch(kernel, n, a, "AdamStep");
    }
}
