using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Backends.Cpu;

/// <summary>Elementwise math on contiguous spans (in place allowed: x and y may be the same span).</summary>
internal static class UnaryKernels
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Float<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Negate: TensorPrimitives.Negate(x, y); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryOp.Rsqrt: TensorPrimitives.ReciprocalSqrt(x, y); break;
            case UnaryOp.Reciprocal: TensorPrimitives.Reciprocal(x, y); break;
            case UnaryOp.Exp: Exp(x, y); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, y); break;
            case UnaryOp.Log1p: AccurateMath.Log1p(x, y); break;
            case UnaryOp.Sin: TensorPrimitives.Sin(x, y); break;
            case UnaryOp.Cos: TensorPrimitives.Cos(x, y); break;
            case UnaryOp.Tanh: AccurateMath.Tanh(x, y); break;
            case UnaryOp.Sigmoid:
                // 1 / (1 + e^-x): large negative x gives e^-x = inf and a clean 0.
                TensorPrimitives.Negate(x, y);
                Exp<T>(y, y);
                TensorPrimitives.Add(y, T.One, y);
                TensorPrimitives.Reciprocal(y, y);
                break;
            case UnaryOp.Relu: TensorPrimitives.Max(x, T.Zero, y); break;
            case UnaryOp.Floor: TensorPrimitives.Floor(x, y); break;
            case UnaryOp.Round: TensorPrimitives.Round(x, y); break;
            case UnaryOp.Sign: Sign(x, y); break;
            case UnaryOp.Erf:
                if (typeof(T) == typeof(float))
                    FastErf.Erf(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
                else
                    for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating(SpecialFunctions.Erf(double.CreateTruncating(x[i])));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op.");
        }
    }

    /// <summary>-1, 0 or 1 by sign, keeping ±0 and NaN: both comparisons are false for them, so x passes through.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sign<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var one = Vector512<T>.One;
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.Create(x.Slice(i, Vector512<T>.Count));
                var s = Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<T>.Zero), one,
                    Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<T>.Zero), -one, v));
                s.CopyTo(y.Slice(i, Vector512<T>.Count));
            }
        }
        for (; i < x.Length; i++)
            y[i] = x[i] > T.Zero ? T.One : x[i] < T.Zero ? -T.One : x[i];
    }

    /// <summary>eˣ: the vectorised float32 kernel, or TensorPrimitives for float64.</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            FastExp.Exp(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else
            TensorPrimitives.Exp(x, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Integer<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IBinaryInteger<T>, ISignedNumber<T>
    {
        switch (op)
        {
            case UnaryOp.Negate: TensorPrimitives.Negate(x, y); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryOp.Relu: TensorPrimitives.Max(x, T.Zero, y); break;
            case UnaryOp.Sign:
                for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating(T.Sign(x[i]));
                break;
            default: throw new ArgumentException($"{op}: not defined for {DTypes.Of<T>().Name()} tensors; cast to a float dtype first.");
        }
    }
}
