using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Backends.Cpu;

/// <summary>
/// A sum with eight independent AVX-512 accumulators: enough in flight to hide the add latency, so a long
/// sum runs at memory speed. The order of additions depends only on the length, so results are reproducible.
/// </summary>
internal static class VectorSum
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T>
    {
        if (!Vector512.IsHardwareAccelerated || !Vector512<T>.IsSupported || x.Length < 8 * Vector512<T>.Count)
            return TensorPrimitives.Sum(x);
        ref T start = ref MemoryMarshal.GetReference(x);
        int width = Vector512<T>.Count, i = 0;
        Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (; i <= x.Length - 8 * width; i += 8 * width)
        {
            s0 += Vector512.LoadUnsafe(ref start, (nuint)i);
            s1 += Vector512.LoadUnsafe(ref start, (nuint)(i + width));
            s2 += Vector512.LoadUnsafe(ref start, (nuint)(i + 2 * width));
            s3 += Vector512.LoadUnsafe(ref start, (nuint)(i + 3 * width));
            s4 += Vector512.LoadUnsafe(ref start, (nuint)(i + 4 * width));
            s5 += Vector512.LoadUnsafe(ref start, (nuint)(i + 5 * width));
            s6 += Vector512.LoadUnsafe(ref start, (nuint)(i + 6 * width));
            s7 += Vector512.LoadUnsafe(ref start, (nuint)(i + 7 * width));
        }
        for (; i <= x.Length - width; i += width)
            s0 += Vector512.LoadUnsafe(ref start, (nuint)i);
        T total = Vector512.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
        for (; i < x.Length; i++) total += x[i];
        return total;
    }
}
