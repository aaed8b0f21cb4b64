using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

/// <summary>
/// tanh and log1p accurate to a few ulps near zero. TensorPrimitives computes them as (e^2x − 1)/(e^2x + 1) and
/// log(1 + x), which lose every digit there: tanh(0) came out as −6e-8 in float32 and log1p(1e-8) as 0. Both
/// formulas below are the classic corrections (Goldberg 1991, Kahan): the rounding error of u = 1 + x or
/// u = e^t is divided back out, so the result is as accurate as exp and log themselves. Vectorised in chunks;
/// x and y may be the same span.
/// </summary>
internal static class AccurateMath
{
    private const int Chunk = 256;

    /// <summary>log1p(x) = x · log(u) / (u − 1) with u = 1 + x (exactly x when u rounds to 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Log1p<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> xs = stackalloc T[Chunk], u = stackalloc T[Chunk], log = stackalloc T[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            Span<T> xc = xs[..n], uc = u[..n], lc = log[..n], yc = y.Slice(start, n);
            x.Slice(start, n).CopyTo(xc);
            TensorPrimitives.Add(xc, T.One, uc);
            TensorPrimitives.Log(uc, lc);
            TensorPrimitives.Multiply(xc, lc, yc);
            TensorPrimitives.Subtract(uc, T.One, lc);
            TensorPrimitives.Divide(yc, lc, yc);
            for (int i = 0; i < n; i++)
            {
                if (uc[i] == T.One) yc[i] = xc[i];               // |x| below half an ulp of 1: log1p(x) = x (keeps ±0)
                else if (T.IsPositiveInfinity(uc[i])) yc[i] = uc[i]; // x = +inf: inf·inf/inf would be NaN
            }
        }
    }

    /// <summary>tanh(x) = e / (e + 2) with e = expm1(2x) = (u − 1) · 2x / log(u), u = e^2x; |x| ≥ 20 is ±1 in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> ts = stackalloc T[Chunk], u = stackalloc T[Chunk], log = stackalloc T[Chunk];
        T limit = T.CreateTruncating(40), two = T.CreateTruncating(2);
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            Span<T> tc = ts[..n], uc = u[..n], lc = log[..n], yc = y.Slice(start, n);
            TensorPrimitives.Multiply(x.Slice(start, n), two, tc);
            TensorPrimitives.Clamp(tc, -limit, limit, tc); // e^±40 is finite and tanh(±20) rounds to ±1
            TensorPrimitives.Exp(tc, uc);
            TensorPrimitives.Log(uc, lc);
            TensorPrimitives.Subtract(uc, T.One, yc);
            TensorPrimitives.Multiply(yc, tc, yc);
            TensorPrimitives.Divide(yc, lc, yc);                // e = expm1(2x)
            for (int i = 0; i < n; i++)
                if (uc[i] == T.One) yc[i] = tc[i];               // e^2x rounded to 1: expm1(2x) = 2x (keeps ±0)
            TensorPrimitives.Add(yc, two, lc);
            TensorPrimitives.Divide(yc, lc, yc);
            for (int i = 0; i < n; i++)
                if (T.IsNaN(tc[i])) yc[i] = tc[i];
        }
    }
}
