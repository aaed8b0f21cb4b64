using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

/// <summary>
/// The managed CPU backend: SIMD through TensorPrimitives and Vector512/256, threads above a size threshold
/// in fixed partitions. The kernels live in the partial files beside this one, one family each.
/// </summary>
/// <remarks>
/// Every method and lambda that loops over elements is marked AggressiveOptimization. A program that references
/// Descent runs with .NET's default tiered compilation, which starts each method in unoptimised tier-0 code and
/// recompiles it only after 30 calls and a pause in JIT activity: a kernel that runs a few dozen times, or whose
/// one call is long, would spend its life in tier-0 code (several times slower). Per-op bookkeeping outside the
/// loops is left to tiering, which recompiles it with profile data.
/// </remarks>
public sealed partial class CpuBackend : IBackend
{
    /// <summary>The one CPU backend.</summary>
    public static CpuBackend Instance { get; } = new();

    private CpuBackend() => Device = new Device("cpu", 0, this);

    /// <inheritdoc/>
    public string Name => "cpu";

    /// <inheritdoc/>
    public Storage Allocate(DType dtype, int length, bool zeroed) => CpuStorage.Allocate(dtype, length, zeroed, _pool);

    internal static CpuStorage Cpu(Storage s) =>
        s as CpuStorage ?? throw new ArgumentException($"The CPU backend was given a {s.Backend.Name} buffer; move the tensor to the CPU first.");

    /// <inheritdoc/>
    public void Unary(UnaryOp op, Storage x, Layout xLayout, Storage y)
    {
        // Strided input is first gathered into y, then the kernel runs in place on one contiguous span.
        int source = xLayout.Offset;
        Storage from = x;
        if (!xLayout.IsContiguous)
        {
            Copy(x, xLayout, y, Layout.Contiguous(xLayout.Dims));
            from = y;
            source = 0;
        }
        int n = xLayout.Size;
        switch (y.DType)
        {
            case DType.Float32: UnarySpans(n, Cpu(from).Array<float>(), source, Cpu(y).Array<float>(), (s, d) => UnaryKernels.Float<float>(op, s, d)); break;
            case DType.Float64: UnarySpans(n, Cpu(from).Array<double>(), source, Cpu(y).Array<double>(), (s, d) => UnaryKernels.Float<double>(op, s, d)); break;
            case DType.Int32: UnarySpans(n, Cpu(from).Array<int>(), source, Cpu(y).Array<int>(), (s, d) => UnaryKernels.Integer<int>(op, s, d)); break;
            case DType.Int64: UnarySpans(n, Cpu(from).Array<long>(), source, Cpu(y).Array<long>(), (s, d) => UnaryKernels.Integer<long>(op, s, d)); break;
            default: throw new ArgumentException($"{op}: not defined for bool tensors.");
        }
    }

    private delegate void SpanOp<T>(ReadOnlySpan<T> x, Span<T> y);

    private static void UnarySpans<T>(int n, T[] x, int offset, T[] y, SpanOp<T> op)
    {
        const int Grain = 1 << 15;
        if (n < Parallelism.ElementThreshold) op(x.AsSpan(offset, n), y.AsSpan(0, n));
        else Parallelism.For(n, Grain, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => op(x.AsSpan(offset + s, e - s), y.AsSpan(s, e - s)));
    }

    /// <inheritdoc/>
    public void Binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        switch (y.DType)
        {
            case DType.Float32: BinaryFloat<float>(op, a, aLayout, b, bLayout, y); break;
            case DType.Float64: BinaryFloat<double>(op, a, aLayout, b, bLayout, y); break;
            case DType.Int32: BinaryInteger<int>(op, a, aLayout, b, bLayout, y); break;
            case DType.Int64: BinaryInteger<long>(op, a, aLayout, b, bLayout, y); break;
            default: throw new ArgumentException($"{op}: not defined for bool tensors.");
        }
    }

    private static void BinaryFloat<T>(BinaryOp op, Storage a, Layout la, Storage b, Layout lb, Storage y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] xa = Cpu(a).Array<T>(), xb = Cpu(b).Array<T>(), xy = Cpu(y).Array<T>();
        switch (op)
        {
            case BinaryOp.Pow: BinaryRunner.Run<T, PowKernel<T>>(xa, la, xb, lb, xy); break;
            default: BinaryNumber(op, xa, la, xb, lb, xy); break;
        }
    }

    private static void BinaryInteger<T>(BinaryOp op, Storage a, Layout la, Storage b, Layout lb, Storage y)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (op == BinaryOp.Pow) throw new ArgumentException($"Pow: not defined for {y.DType.Name()} tensors; cast to a float dtype first.");
        BinaryNumber(op, Cpu(a).Array<T>(), la, Cpu(b).Array<T>(), lb, Cpu(y).Array<T>());
    }

    private static void BinaryNumber<T>(BinaryOp op, T[] a, Layout la, T[] b, Layout lb, T[] y) where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case BinaryOp.Add: BinaryRunner.Run<T, AddKernel<T>>(a, la, b, lb, y); break;
            case BinaryOp.Subtract: BinaryRunner.Run<T, SubtractKernel<T>>(a, la, b, lb, y); break;
            case BinaryOp.Multiply: BinaryRunner.Run<T, MultiplyKernel<T>>(a, la, b, lb, y); break;
            case BinaryOp.Divide: BinaryRunner.Run<T, DivideKernel<T>>(a, la, b, lb, y); break;
            case BinaryOp.Maximum: BinaryRunner.Run<T, MaximumKernel<T>>(a, la, b, lb, y); break;
            case BinaryOp.Minimum: BinaryRunner.Run<T, MinimumKernel<T>>(a, la, b, lb, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }

    /// <inheritdoc/>
    public void Compare(CompareOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        var result = Cpu(y).Array<bool>();
        switch (a.DType)
        {
            case DType.Float32: CompareTyped(op, Cpu(a).Array<float>(), aLayout, Cpu(b).Array<float>(), bLayout, result); break;
            case DType.Float64: CompareTyped(op, Cpu(a).Array<double>(), aLayout, Cpu(b).Array<double>(), bLayout, result); break;
            case DType.Int32: CompareTyped(op, Cpu(a).Array<int>(), aLayout, Cpu(b).Array<int>(), bLayout, result); break;
            case DType.Int64: CompareTyped(op, Cpu(a).Array<long>(), aLayout, Cpu(b).Array<long>(), bLayout, result); break;
            case DType.Bool: CompareBool(op, Cpu(a).Array<bool>(), aLayout, Cpu(b).Array<bool>(), bLayout, result); break;
        }
    }

    private static void CompareTyped<T>(CompareOp op, T[] a, Layout la, T[] b, Layout lb, bool[] y) where T : INumber<T>
    {
        switch (op)
        {
            case CompareOp.Equal: CompareRows<T, EqualTo<T>>(a, la, b, lb, y); break;
            case CompareOp.NotEqual: CompareRows<T, NotEqualTo<T>>(a, la, b, lb, y); break;
            case CompareOp.Less: CompareRows<T, LessThan<T>>(a, la, b, lb, y); break;
            case CompareOp.LessEqual: CompareRows<T, LessOrEqual<T>>(a, la, b, lb, y); break;
            case CompareOp.Greater: CompareRows<T, GreaterThan<T>>(a, la, b, lb, y); break;
            default: CompareRows<T, GreaterOrEqual<T>>(a, la, b, lb, y); break;
        }
    }

    // The comparison is a type argument, so each loop is compiled for one operator with no branch per element.
    private interface IComparison<T> { static abstract bool Test(T a, T b); }
    private struct EqualTo<T> : IComparison<T> where T : INumber<T> { public static bool Test(T a, T b) => a == b; }
    private struct NotEqualTo<T> : IComparison<T> where T : INumber<T> { public static bool Test(T a, T b) => a != b; }
    private struct LessThan<T> : IComparison<T> where T : INumber<T> { public static bool Test(T a, T b) => a < b; }
    private struct LessOrEqual<T> : IComparison<T> where T : INumber<T> { public static bool Test(T a, T b) => a <= b; }
    private struct GreaterThan<T> : IComparison<T> where T : INumber<T> { public static bool Test(T a, T b) => a > b; }
    private struct GreaterOrEqual<T> : IComparison<T> where T : INumber<T> { public static bool Test(T a, T b) => a >= b; }

    private static void CompareRows<T, TTest>(T[] a, Layout la, T[] b, Layout lb, bool[] y) where TTest : IComparison<T>
    {
        var plan = new RowPlan(la.Shape, la, lb);
        int sa = plan.InnerStrides[0], sb = plan.InnerStrides[1], inner = plan.Inner;
        plan.Run([MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, col, count, starts) =>
        {
            int oa = starts[0] + col * sa, ob = starts[1] + col * sb, oy = row * inner + col;
            if (sb == 0)
            {
                T v = b[ob];
                for (int j = 0; j < count; j++) y[oy + j] = TTest.Test(a[oa + j * sa], v);
            }
            else
                for (int j = 0; j < count; j++) y[oy + j] = TTest.Test(a[oa + j * sa], b[ob + j * sb]);
        });
    }

    private static void CompareBool(CompareOp op, bool[] a, Layout la, bool[] b, Layout lb, bool[] y)
    {
        if (op is not (CompareOp.Equal or CompareOp.NotEqual))
            throw new ArgumentException($"{op}: bool tensors only compare for equality; cast them first.");
        var plan = new RowPlan(la.Shape, la, lb);
        int sa = plan.InnerStrides[0], sb = plan.InnerStrides[1], inner = plan.Inner;
        plan.Run([MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, col, count, starts) =>
        {
            int oa = starts[0] + col * sa, ob = starts[1] + col * sb, oy = row * inner + col;
            for (int j = 0; j < count; j++) y[oy + j] = (a[oa + j * sa] == b[ob + j * sb]) == (op == CompareOp.Equal);
        });
    }

    /// <inheritdoc/>
    public void Where(Storage condition, Layout conditionLayout, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y)
    {
        switch (y.DType)
        {
            case DType.Float32: WhereTyped(condition, conditionLayout, Cpu(a).Array<float>(), aLayout, Cpu(b).Array<float>(), bLayout, Cpu(y).Array<float>()); break;
            case DType.Float64: WhereTyped(condition, conditionLayout, Cpu(a).Array<double>(), aLayout, Cpu(b).Array<double>(), bLayout, Cpu(y).Array<double>()); break;
            case DType.Int32: WhereTyped(condition, conditionLayout, Cpu(a).Array<int>(), aLayout, Cpu(b).Array<int>(), bLayout, Cpu(y).Array<int>()); break;
            case DType.Int64: WhereTyped(condition, conditionLayout, Cpu(a).Array<long>(), aLayout, Cpu(b).Array<long>(), bLayout, Cpu(y).Array<long>()); break;
            case DType.Bool: WhereTyped(condition, conditionLayout, Cpu(a).Array<bool>(), aLayout, Cpu(b).Array<bool>(), bLayout, Cpu(y).Array<bool>()); break;
        }
    }

    private static void WhereTyped<T>(Storage condition, Layout lc, T[] a, Layout la, T[] b, Layout lb, T[] y)
    {
        var c = Cpu(condition).Array<bool>();
        var plan = new RowPlan(lc.Shape, lc, la, lb);
        int sc = plan.InnerStrides[0], sa = plan.InnerStrides[1], sb = plan.InnerStrides[2], inner = plan.Inner;
        plan.Run([MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, col, count, starts) =>
        {
            int oc = starts[0] + col * sc, oa = starts[1] + col * sa, ob = starts[2] + col * sb, oy = row * inner + col;
            for (int j = 0; j < count; j++) y[oy + j] = c[oc + j * sc] ? a[oa + j * sa] : b[ob + j * sb];
        });
    }
}
