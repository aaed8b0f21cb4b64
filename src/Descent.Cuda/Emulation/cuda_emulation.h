// Compiles Descent's generated CUDA C kernels for the CPU, to test the CUDA backend where there is no GPU.
//
// The kernel text follows this header unchanged, except that `extern __shared__ T s[];` becomes a pointer to the
// launch's dynamic shared memory. Kernels run through cuda_emulation_runtime.cpp: each block in turn, each CUDA
// thread as a fiber when the kernel has barriers, so __syncthreads and warp shuffles behave as on the GPU. Static
// shared memory is per OS thread and reused by each block, uninitialized as on a GPU.
//
// What it does not model: the device's math library (expf and friends here are glibc's, correctly rounded where
// CUDA's are within a few ulps), races between blocks, and timing. Compiled without contraction, as NVRTC is with
// --fmad=false, so a * b + c rounds twice here as there.
#include <cmath>
#include <cstring>

struct uint3 { unsigned x, y, z; };
struct dim3 { unsigned x, y, z; };

#define EMU_IMPORT extern "C" __attribute__((visibility("default")))
EMU_IMPORT thread_local uint3 emu_thread_index;
EMU_IMPORT thread_local uint3 emu_block_index;
EMU_IMPORT thread_local dim3 emu_block_dim;
EMU_IMPORT thread_local dim3 emu_grid_dim;
EMU_IMPORT thread_local unsigned char* emu_dynamic_shared;
EMU_IMPORT thread_local unsigned long long emu_warp_slots[1024];
EMU_IMPORT void emu_barrier(int warp);
EMU_IMPORT const char* emu_run(unsigned gx, unsigned gy, unsigned gz, unsigned threads, unsigned shared_bytes, int barriers,
    void (*kernel)(void*), void* state);

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __launch_bounds__(...)
#define __shared__ static thread_local
#define threadIdx (emu_thread_index)
#define blockIdx (emu_block_index)
#define blockDim (emu_block_dim)
#define gridDim (emu_grid_dim)
#define warpSize 32

// CUDA's float overloads of the math functions, in the global namespace as device code sees them.
using std::exp; using std::log; using std::sqrt; using std::tanh; using std::erf; using std::pow; using std::sin; using std::cos;
using std::floor; using std::rint; using std::fabs; using std::log1p; using std::expm1; using std::fma; using std::ceil; using std::trunc;

inline void __syncthreads() { emu_barrier(0); }

template <typename T> T __shfl_xor_sync(unsigned, T value, int lane_mask)
{
    static_assert(sizeof(T) <= 8, "shuffles of up to 8 bytes");
    int me = (int)emu_thread_index.x, partner = (me & ~31) | ((me & 31) ^ lane_mask);
    unsigned long long bits = 0;
    memcpy(&bits, &value, sizeof(T));
    emu_warp_slots[me] = bits;
    emu_barrier(1);
    T result = value;
    if (partner < (int)emu_block_dim.x) memcpy(&result, &emu_warp_slots[partner], sizeof(T));
    emu_barrier(1);
    return result;
}

inline int __float_as_int(float x) { int i; memcpy(&i, &x, 4); return i; }
inline float __int_as_float(int i) { float x; memcpy(&x, &i, 4); return x; }
inline long long __double_as_longlong(double x) { long long i; memcpy(&i, &x, 8); return i; }
inline double __longlong_as_double(long long i) { double x; memcpy(&x, &i, 8); return x; }

// The _rn intrinsics round once to nearest, as IEEE arithmetic in SSE registers does.
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline double __dsqrt_rn(double a) { return std::sqrt(a); }
inline float __double2float_rn(double a) { return (float)a; }
inline float __int2float_rn(int a) { return (float)a; }
inline float __ll2float_rn(long long a) { return (float)a; }
inline double __ll2double_rn(long long a) { return (double)a; }
// CUDA's conversions toward zero saturate (and give 0 for NaN) where C++'s are undefined.
template <typename I, typename F> inline I emu_truncate(F a, I lo, I hi)
{
    if (a != a) return 0;
    if (a <= (F)lo) return lo;
    if (a >= (F)hi) return hi;
    return (I)a;
}
inline int __float2int_rz(float a) { return emu_truncate<int>(a, (int)0x80000000, 0x7fffffff); }
inline long long __float2ll_rz(float a) { return emu_truncate<long long>(a, (long long)0x8000000000000000LL, 0x7fffffffffffffffLL); }
inline int __double2int_rz(double a) { return emu_truncate<int>(a, (int)0x80000000, 0x7fffffff); }
inline long long __double2ll_rz(double a) { return emu_truncate<long long>(a, (long long)0x8000000000000000LL, 0x7fffffffffffffffLL); }
