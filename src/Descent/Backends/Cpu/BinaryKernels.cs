using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

/// <summary>An elementwise function of two arguments, with span forms for the SIMD fast paths.</summary>
internal interface IBinaryKernel<T>
{
    static abstract T Apply(T a, T b);
    static abstract void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y);
    static abstract void Apply(ReadOnlySpan<T> a, T b, Span<T> y);
    static abstract void Apply(T a, ReadOnlySpan<T> b, Span<T> y);
}

internal struct AddKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a + b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Add(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Add(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Add(b, a, y);
}

internal struct SubtractKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a - b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Subtract(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Subtract(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Subtract(a, b, y);
}

internal struct MultiplyKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a * b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Multiply(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Multiply(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Multiply(b, a, y);
}

internal struct DivideKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a / b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Divide(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Divide(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Divide(a, b, y);
}

internal struct MaximumKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => T.Max(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Max(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Max(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Max(b, a, y);
}

internal struct MinimumKernel<T> : IBinaryKernel<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => T.Min(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Min(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y) => TensorPrimitives.Min(a, b, y);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Min(b, a, y);
}

internal struct PowKernel<T> : IBinaryKernel<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Pow(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Pow(a, b, y);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> y)
    {
        // x^2 is by far the commonest power; a multiply is exact and faster than pow.
        if (b == T.CreateTruncating(2)) TensorPrimitives.Multiply(a, a, y);
        else TensorPrimitives.Pow(a, b, y);
    }
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> y) => TensorPrimitives.Pow(a, b, y);
}

/// <summary>Runs a binary kernel over broadcast operands, choosing span, span-scalar or strided loops per row.</summary>
internal static class BinaryRunner
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TKernel>(T[] a, Layout la, T[] b, Layout lb, T[] y) where TKernel : IBinaryKernel<T>
    {
        int n = la.Size;
        // Small operands skip the planner: the common shapes (same shape, or one side a scalar) map to one span call.
        if (n < Parallelism.ElementThreshold)
        {
            var yy = y.AsSpan(0, n);
            if (la.IsContiguous && lb.IsContiguous) { TKernel.Apply(a.AsSpan(la.Offset, n), b.AsSpan(lb.Offset, n), yy); return; }
            if (la.IsContiguous && lb.IsBroadcastScalar) { TKernel.Apply(a.AsSpan(la.Offset, n), b[lb.Offset], yy); return; }
            if (la.IsBroadcastScalar && lb.IsContiguous) { TKernel.Apply(a[la.Offset], b.AsSpan(lb.Offset, n), yy); return; }
        }
        var plan = new RowPlan(la.Shape, la, lb);
        int sa = plan.InnerStrides[0], sb = plan.InnerStrides[1], inner = plan.Inner;
        plan.Run([MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, col, count, starts) =>
        {
            var yRow = y.AsSpan(row * inner + col, count);
            int oa = starts[0] + col * sa, ob = starts[1] + col * sb;
            if (sa == 1 && sb == 1) TKernel.Apply(a.AsSpan(oa, count), b.AsSpan(ob, count), yRow);
            else if (sa == 1 && sb == 0) TKernel.Apply(a.AsSpan(oa, count), b[ob], yRow);
            else if (sa == 0 && sb == 1) TKernel.Apply(a[oa], b.AsSpan(ob, count), yRow);
            else
                for (int j = 0; j < count; j++) yRow[j] = TKernel.Apply(a[oa + j * sa], b[ob + j * sb]);
        });
    }
}
