using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void ScaledAdd(Storage y, Layout yLayout, Storage x, Layout xLayout, double alpha)
    {
        switch (y.DType)
        {
            case DType.Float32: ScaledAddTyped(Cpu(y).Array<float>(), yLayout, Cpu(x).Array<float>(), xLayout, (float)alpha); break;
            case DType.Float64: ScaledAddTyped(Cpu(y).Array<double>(), yLayout, Cpu(x).Array<double>(), xLayout, alpha); break;
            default: throw new ArgumentException($"ScaledAdd: not defined for {y.DType.Name()} tensors.");
        }
    }

    private static void ScaledAddTyped<T>(T[] y, Layout ly, T[] x, Layout lx, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plan = new RowPlan(ly.Shape, ly, lx);
        int sy = plan.InnerStrides[0], sx = plan.InnerStrides[1];
        plan.Run([MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, col, count, starts) =>
        {
            int oy = starts[0] + col * sy, ox = starts[1] + col * sx;
            if (sy == 1 && sx == 1)
            {
                var target = y.AsSpan(oy, count);
                // y + alpha·x rounded once per operation, as (alpha·x) then the add: the same bits as the
                // unfused x * alpha followed by y - or + that the optimizers' formulas spell out.
                TensorPrimitives.MultiplyAdd(x.AsSpan(ox, count), alpha, target, target);
            }
            else
                for (int j = 0; j < count; j++) y[oy + j * sy] += alpha * x[ox + j * sx];
        });
    }
}
