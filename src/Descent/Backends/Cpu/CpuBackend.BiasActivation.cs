using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

public sealed partial class CpuBackend
{
    public void BiasActivation(Storage y, Layout yLayout, Storage? bias, Layout? biasLayout, FusedActivation activation)
    {
        switch (y.DType)
        {
            case DType.Float32: BiasActivationRows(Cpu(y).Array<float>(), yLayout, bias is null ? null : ContiguousArray(bias, biasLayout!), activation); break;
            case DType.Float64: BiasActivationRows(Cpu(y).Array<double>(), yLayout, bias is null ? null : ContiguousArray(bias, biasLayout!), activation); break;
            default: throw new ArgumentException($"Dense: not defined for {y.DType.Name()} tensors.");
        }
    }

    private static void BiasActivationRows<T>(T[] y, Layout layout, (Array Data, int Offset)? bias, FusedActivation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = layout.Dims[0], cols = layout.Dims[1], offset = layout.Offset;
        var b = bias is { } bb ? ((T[])bb.Data).AsMemory(bb.Offset, cols) : ReadOnlyMemory<T>.Empty;
        bool hasBias = bias is not null;
        // Row by row, so each row is still in cache for the activation after its bias add.
        Parallelism.For(rows, Math.Max(1, Parallelism.ElementThreshold / Math.Max(1, cols)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                var row = y.AsSpan(offset + r * cols, cols);
                if (hasBias) TensorPrimitives.Add(row, b.Span, row);
                switch (activation)
                {
                    case FusedActivation.Relu: TensorPrimitives.Max(row, T.Zero, row); break;
                    case FusedActivation.Sigmoid: UnaryKernels.Float<T>(UnaryOp.Sigmoid, row, row); break;
                    case FusedActivation.Tanh: AccurateMath.Tanh<T>(row, row); break;
                }
            }
        });
    }
}
