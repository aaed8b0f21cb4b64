using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Descent.Backends.Cpu;

/// <summary>
/// exp over float32 spans with AVX-512 (or AVX2): Cody–Waite range reduction x = n·ln2 + r, a degree-6
/// polynomial for e^r (Cephes' expf coefficients, within 2 ulp of the true value), and 2ⁿ built in two
/// halves (one vscalefps where AVX-512 is) so results underflow gracefully into subnormals instead of snapping to
/// the smallest normal.
/// Every element, tail included, goes through the same vector code, so a value's result never depends
/// on where in the span it sits.
/// </summary>
internal static class FastExp
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float MaxInput = 89f;    // e^89 overflows float: the scale becomes infinite
    private const float MinInput = -104f;  // e^-104 is below the smallest subnormal: the result is 0

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp(ReadOnlySpan<float> x, Span<float> y)
    {
        if (Vector512.IsHardwareAccelerated) Run512(x, y);
        else if (Vector256.IsHardwareAccelerated) Run256(x, y);
        else
            for (int i = 0; i < x.Length; i++) y[i] = MathF.Exp(x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run512(ReadOnlySpan<float> x, Span<float> y)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0, n = x.Length;
        for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            Vector512.StoreUnsafe(Exp(Vector512.LoadUnsafe(ref xs, (nuint)i)), ref ys, (nuint)i);
        if (i < n)
        {
            Span<float> tail = stackalloc float[Vector512<float>.Count];
            x[i..].CopyTo(tail);
            Exp(Vector512.Create<float>(tail)).CopyTo(tail);
            tail[..(n - i)].CopyTo(y[i..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run256(ReadOnlySpan<float> x, Span<float> y)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0, n = x.Length;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            Vector256.StoreUnsafe(Exp(Vector256.LoadUnsafe(ref xs, (nuint)i)), ref ys, (nuint)i);
        if (i < n)
        {
            Span<float> tail = stackalloc float[Vector256<float>.Count];
            x[i..].CopyTo(tail);
            Exp(Vector256.Create<float>(tail)).CopyTo(tail);
            tail[..(n - i)].CopyTo(y[i..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> x)
    {
        var nan = ~Vector512.Equals(x, x);
        // The native min/max (one instruction each): a NaN input is restored by the select at the end.
        var v = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(MinInput)), Vector512.Create(MaxInput));
        var n = Vector512.Round(v * Log2E);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), v);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        // vscalefps: p·2ⁿ in one instruction, rounded once, subnormal results included.
        if (Avx512F.IsSupported) return Vector512.ConditionalSelect(nan, x, Avx512F.Scale(p, n));
        var ni = Vector512.ConvertToInt32(n);
        var half = ni >> 1;
        var scale1 = ((half + Vector512.Create(127)) << 23).AsSingle();
        var scale2 = ((ni - half + Vector512.Create(127)) << 23).AsSingle();
        return Vector512.ConditionalSelect(nan, x, p * scale1 * scale2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        var nan = ~Vector256.Equals(x, x);
        var v = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(MinInput)), Vector256.Create(MaxInput));
        var n = Vector256.Round(v * Log2E);
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), v);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.Create(1.9875691500e-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        var ni = Vector256.ConvertToInt32(n);
        var half = ni >> 1;
        var scale1 = ((half + Vector256.Create(127)) << 23).AsSingle();
        var scale2 = ((ni - half + Vector256.Create(127)) << 23).AsSingle();
        return Vector256.ConditionalSelect(nan, x, p * scale1 * scale2);
    }
}
