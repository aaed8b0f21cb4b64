using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void SoftmaxCrossEntropy(Storage logits, Layout logitsLayout, Storage labels, Layout labelsLayout, Storage loss, Storage? gradient)
    {
        var (data, offset) = ContiguousArray(logits, logitsLayout);
        var classes = IndexArray(labels, labelsLayout);
        int rows = logitsLayout.Dims[0], cols = logitsLayout.Dims[1];
        switch (data)
        {
            case float[] f: SoftmaxCrossEntropyRows(f, offset, classes, rows, cols, Cpu(loss).Array<float>(), gradient is null ? null : Cpu(gradient).Array<float>()); break;
            case double[] d: SoftmaxCrossEntropyRows(d, offset, classes, rows, cols, Cpu(loss).Array<double>(), gradient is null ? null : Cpu(gradient).Array<double>()); break;
            default: throw new ArgumentException($"SparseSoftmaxCrossEntropy: logits must be float32 or float64, got {logits.DType.Name()}.");
        }
    }

    private static void SoftmaxCrossEntropyRows<T>(T[] x, int offset, int[] labels, int rows, int cols, T[] loss, T[]? gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int grain = Math.Max(1, Parallelism.ElementThreshold / Math.Max(1, cols));
        Parallelism.For(rows, grain, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            // Without a gradient buffer the exponentials still need somewhere to go.
            var scratch = gradient is null ? new T[cols] : null;
            for (int r = start; r < end; r++)
            {
                var row = x.AsSpan(offset + r * cols, cols);
                var e = gradient is null ? scratch.AsSpan() : gradient.AsSpan(r * cols, cols);
                T max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, e);
                UnaryKernels.Exp<T>(e, e);
                T sum = TensorPrimitives.Sum<T>(e);
                loss[r] = (max - row[labels[r]]) + T.Log(sum); // the difference first: exact for nearby large logits
                if (gradient is null) continue;
                TensorPrimitives.Multiply(e, T.One / sum, e);
                e[labels[r]] -= T.One;
            }
        });
    }
}
