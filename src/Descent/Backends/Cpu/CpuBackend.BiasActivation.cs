using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
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
        // Narrow rows (a convolution's output pixels) cost more in span calls than in arithmetic: add and clamp
        // them a vector at a time instead.
        bool vectors = Vector512.IsHardwareAccelerated && cols % Vector512<T>.Count == 0 && cols <= 256
            && activation is FusedActivation.Linear or FusedActivation.Relu;
        Parallelism.For(rows, Math.Max(1, Parallelism.ElementThreshold / Math.Max(1, cols)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            if (vectors)
            {
                NarrowRows(y.AsSpan(offset + start * cols, (end - start) * cols), hasBias ? b.Span : default, cols, activation == FusedActivation.Relu);
                return;
            }
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowRows<T>(Span<T> y, ReadOnlySpan<T> bias, int cols, bool relu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T data = ref MemoryMarshal.GetReference(y);
        for (int start = 0; start < y.Length; start += cols)
            for (int j = 0; j < cols; j += Vector512<T>.Count)
            {
                var v = Vector512.LoadUnsafe(ref data, (nuint)(start + j));
                if (!bias.IsEmpty) v += Vector512.Create(bias.Slice(j, Vector512<T>.Count));
                // Max propagates NaN, as TensorPrimitives.Max does on the wide-row path.
                if (relu) v = Vector512.Max(v, Vector512<T>.Zero);
                v.StoreUnsafe(ref data, (nuint)(start + j));
            }
    }
}
