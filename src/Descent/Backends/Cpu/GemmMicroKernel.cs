using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Descent.Backends.Cpu;

/// <summary>
/// Register-blocked kernels: C[MR x NR] (+)= packed A panel (MR x kc) * packed B panel (kc x NR).
/// The whole tile lives in registers for the k loop, so each packed element is loaded once per tile.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    public const int MR = 6;

    /// <summary>Columns per tile: four 512-bit vectors (64 floats / 32 doubles), 24 accumulators of 32 registers.</summary>
    public static int Nr512<T>() => 4 * Vector512<T>.Count;

    /// <summary>Columns per tile: two 256-bit vectors, 12 accumulators of AVX2's 16 registers.</summary>
    public static int Nr256<T>() => 2 * Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel512<T>(int kc, ref T a, ref T b, ref T c, nint ldc, bool overwrite) where T : unmanaged
    {
        nuint v = (nuint)Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<T> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<T> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<T> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<T> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<T> c50 = default, c51 = default, c52 = default, c53 = default;
        // The C tile is read only after the k loop; fetching it now hides that miss behind the FMAs.
        for (nint r = 0; r < MR; r++)
            for (nuint j = 0; j < 4 * v; j += v)
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref c, r * ldc + (nint)j)));
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = Vector512.LoadUnsafe(ref b, v);
            var b2 = Vector512.LoadUnsafe(ref b, 2 * v);
            var b3 = Vector512.LoadUnsafe(ref b, 3 * v);
            var x = Vector512.Create(a);
            c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01); c02 = Fma(x, b2, c02); c03 = Fma(x, b3, c03);
            x = Vector512.Create(Unsafe.Add(ref a, 1));
            c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11); c12 = Fma(x, b2, c12); c13 = Fma(x, b3, c13);
            x = Vector512.Create(Unsafe.Add(ref a, 2));
            c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21); c22 = Fma(x, b2, c22); c23 = Fma(x, b3, c23);
            x = Vector512.Create(Unsafe.Add(ref a, 3));
            c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31); c32 = Fma(x, b2, c32); c33 = Fma(x, b3, c33);
            x = Vector512.Create(Unsafe.Add(ref a, 4));
            c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41); c42 = Fma(x, b2, c42); c43 = Fma(x, b3, c43);
            x = Vector512.Create(Unsafe.Add(ref a, 5));
            c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51); c52 = Fma(x, b2, c52); c53 = Fma(x, b3, c53);
            a = ref Unsafe.Add(ref a, MR);
            b = ref Unsafe.Add(ref b, 4 * v);
        }
        Store4(ref c, c00, c01, c02, c03, overwrite);
        Store4(ref Unsafe.Add(ref c, ldc), c10, c11, c12, c13, overwrite);
        Store4(ref Unsafe.Add(ref c, 2 * ldc), c20, c21, c22, c23, overwrite);
        Store4(ref Unsafe.Add(ref c, 3 * ldc), c30, c31, c32, c33, overwrite);
        Store4(ref Unsafe.Add(ref c, 4 * ldc), c40, c41, c42, c43, overwrite);
        Store4(ref Unsafe.Add(ref c, 5 * ldc), c50, c51, c52, c53, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel256<T>(int kc, ref T a, ref T b, ref T c, nint ldc, bool overwrite) where T : unmanaged
    {
        nuint v = (nuint)Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, v);
            var x = Vector256.Create(a);
            c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a, 1));
            c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a, 2));
            c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a, 3));
            c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector256.Create(Unsafe.Add(ref a, 4));
            c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector256.Create(Unsafe.Add(ref a, 5));
            c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            a = ref Unsafe.Add(ref a, MR);
            b = ref Unsafe.Add(ref b, 2 * v);
        }
        Store2(ref c, c00, c01, overwrite);
        Store2(ref Unsafe.Add(ref c, ldc), c10, c11, overwrite);
        Store2(ref Unsafe.Add(ref c, 2 * ldc), c20, c21, overwrite);
        Store2(ref Unsafe.Add(ref c, 3 * ldc), c30, c31, overwrite);
        Store2(ref Unsafe.Add(ref c, 4 * ldc), c40, c41, overwrite);
        Store2(ref Unsafe.Add(ref c, 5 * ldc), c50, c51, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    // MultiplyAddEstimate is a single FMA where the CPU has one and a multiply-add elsewhere; the exact
    // FusedMultiplyAdd would fall back to slow software emulation on AVX2 machines without FMA.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (typeof(T) == typeof(float))
            return Vector256.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return Vector256.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4<T>(ref T c, Vector512<T> x0, Vector512<T> x1, Vector512<T> x2, Vector512<T> x3, bool overwrite)
    {
        nuint v = (nuint)Vector512<T>.Count;
        if (!overwrite)
        {
            x0 += Vector512.LoadUnsafe(ref c);
            x1 += Vector512.LoadUnsafe(ref c, v);
            x2 += Vector512.LoadUnsafe(ref c, 2 * v);
            x3 += Vector512.LoadUnsafe(ref c, 3 * v);
        }
        x0.StoreUnsafe(ref c);
        x1.StoreUnsafe(ref c, v);
        x2.StoreUnsafe(ref c, 2 * v);
        x3.StoreUnsafe(ref c, 3 * v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2<T>(ref T c, Vector256<T> x0, Vector256<T> x1, bool overwrite)
    {
        nuint v = (nuint)Vector256<T>.Count;
        if (!overwrite)
        {
            x0 += Vector256.LoadUnsafe(ref c);
            x1 += Vector256.LoadUnsafe(ref c, v);
        }
        x0.StoreUnsafe(ref c);
        x1.StoreUnsafe(ref c, v);
    }
}
