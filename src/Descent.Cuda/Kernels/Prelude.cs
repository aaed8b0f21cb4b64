namespace Descent.Cuda.Kernels;

/// <summary>
/// The shared header every kernel is compiled with: fixed-width names, the layout-to-address arithmetic (one
/// function for every strided, sliced and broadcast view), IEEE maximum and minimum as the CPU computes them, and
/// warp shuffles. Kernels are compiled without any system header (NVRTC has none), so nothing here includes one.
/// </summary>
internal static class Prelude
{
    public const string Text = """
        // Descent CUDA kernels (generated). Compiled by NVRTC for the device's own architecture.
        typedef long long i64;
        typedef unsigned long long u64;
        typedef unsigned int u32;
        typedef unsigned char u8;

        // A collapsed layout: element i (row-major over d) sits at off + sum over axes of coordinate * stride.
        template <int R> struct Lay { int off; int d[R]; int s[R]; };

        template <int R> __device__ __forceinline__ int at(const Lay<R>& l, int i)
        {
            int o = l.off;
        #pragma unroll
            for (int a = R - 1; a > 0; a--) { int q = i / l.d[a]; o += (i - q * l.d[a]) * l.s[a]; i = q; }
            return o + i * l.s[0];
        }

        __device__ __forceinline__ bool negative(float x) { return __float_as_int(x) < 0; }
        __device__ __forceinline__ bool negative(double x) { return __double_as_longlong(x) < 0; }

        // IEEE maximum and minimum as .NET's Math.Max/Min and TensorPrimitives compute them: NaN wins, +0 > -0.
        template <typename T> __device__ __forceinline__ T vmax(T a, T b)
        {
            if (a != a) return a;
            if (b != b) return b;
            if (a == b) return negative(a) ? b : a;
            return a > b ? a : b;
        }
        template <typename T> __device__ __forceinline__ T vmin(T a, T b)
        {
            if (a != a) return a;
            if (b != b) return b;
            if (a == b) return negative(a) ? a : b;
            return a < b ? a : b;
        }
        __device__ __forceinline__ int vmax(int a, int b) { return a > b ? a : b; }
        __device__ __forceinline__ int vmin(int a, int b) { return a < b ? a : b; }
        __device__ __forceinline__ i64 vmax(i64 a, i64 b) { return a > b ? a : b; }
        __device__ __forceinline__ i64 vmin(i64 a, i64 b) { return a < b ? a : b; }

        template <typename T> __device__ __forceinline__ T shfl(T v, int lane_mask) { return __shfl_xor_sync(0xffffffffu, v, lane_mask); }

        """;
}
