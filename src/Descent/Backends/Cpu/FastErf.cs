using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Backends.Cpu;

/// <summary>
/// erf over float32 spans: x·P(x²)/Q(x²) on x clamped to [−4, 4] (beyond, erf rounds to ±1 in float32), a rational fit
/// with relative error below 1e-8 (tests/Descent.Tests/Fixtures/fast_erf_fit.py made it), evaluated in double and
/// rounded once, so each result is within one ulp of the true value. The series the float64 path sums
/// (<see cref="SpecialFunctions.Erf"/>) costs hundreds of operations an element, which made the exact GELU of a
/// transformer's feedforward part the slowest op of its step. The vector and scalar paths do the same double
/// arithmetic in the same order, so a value's result does not depend on where in the span it sits.
/// </summary>
internal static class FastErf
{
    private const double Clamp = 4;
    private const double P0 = 1.1283791672714187, P1 = 0.18504780626881287, P2 = 0.054229523490856406, P3 = 0.003834989390824207,
        P4 = 0.00037664080913670916, P5 = 4.607498912588548e-06, P6 = -1.2785388969760447e-08;
    private const double Q1 = 0.49732772240246215, Q2 = 0.11383519235718545, Q3 = 0.015421619676748821,
        Q4 = 0.0013006765852062053, Q5 = 6.23839332171694e-05;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Erf(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(x.Slice(i, Vector256<float>.Count)));
                Vector256.Narrow(Evaluate(lower), Evaluate(upper)).CopyTo(y.Slice(i, Vector256<float>.Count));
            }
        }
        for (; i < x.Length; i++) y[i] = (float)Evaluate(x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Evaluate(Vector256<double> x)
    {
        var c = Vector256.Min(Vector256.Max(x, Vector256.Create(-Clamp)), Vector256.Create(Clamp));
        var u = c * c;
        var p = (((((Vector256.Create(P6) * u + Vector256.Create(P5)) * u + Vector256.Create(P4)) * u + Vector256.Create(P3)) * u
            + Vector256.Create(P2)) * u + Vector256.Create(P1)) * u + Vector256.Create(P0);
        var q = ((((Vector256.Create(Q5) * u + Vector256.Create(Q4)) * u + Vector256.Create(Q3)) * u + Vector256.Create(Q2)) * u
            + Vector256.Create(Q1)) * u + Vector256<double>.One;
        // NaN passes through (min and max may have replaced it).
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), c * p / q, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Evaluate(double x)
    {
        if (double.IsNaN(x)) return x;
        double c = Math.Min(Math.Max(x, -Clamp), Clamp), u = c * c;
        double p = (((((P6 * u + P5) * u + P4) * u + P3) * u + P2) * u + P1) * u + P0;
        double q = ((((Q5 * u + Q4) * u + Q3) * u + Q2) * u + Q1) * u + 1;
        return c * p / q;
    }
}
