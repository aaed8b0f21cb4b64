using Descent.Backends;

namespace Descent.Cuda.Kernels;

/// <summary>
/// Philox 4x32-10 on the device: a line-by-line port of <see cref="Philox"/>, so element i of a random tensor gets the
/// bits the CPU gives it. Each arithmetic step the CPU rounds is rounded here too: the _rn intrinsics keep the compiler
/// from fusing a multiply and an add, which would round once where .NET rounds twice.
/// </summary>
internal static class RandomKernels
{
    private const string Helpers = """
        __device__ __forceinline__ void philox_block(u32& c0, u32& c1, u32& c2, u32& c3, u64 key)
        {
            u32 k0 = (u32)key, k1 = (u32)(key >> 32);
            for (int round = 0; round < 10; round++)
            {
                u64 p0 = (u64)0xD2511F53u * c0, p1 = (u64)0xCD9E8D57u * c2;
                u32 n0 = (u32)(p1 >> 32) ^ c1 ^ k0, n1 = (u32)p1, n2 = (u32)(p0 >> 32) ^ c3 ^ k1, n3 = (u32)p0;
                c0 = n0; c1 = n1; c2 = n2; c3 = n3;
                k0 += 0x9E3779B9u;
                k1 += 0xBB67AE85u;
            }
        }
        // A double in [0, 1) from the top 53 of 64 bits: exact, as (x >> 11) < 2^53 and the scale is 2^-53.
        __device__ __forceinline__ double unit_interval(u32 high, u32 low)
        {
            return (double)(((((u64)high) << 32) | low) >> 11) * __longlong_as_double(0x3CA0000000000000ll);
        }
        __device__ __forceinline__ double philox_uniform(u64 seed, u64 index)
        {
            u32 c0 = (u32)index, c1 = (u32)(index >> 32), c2 = 0, c3 = 0;
            philox_block(c0, c1, c2, c3, seed);
            return unit_interval(c0, c1);
        }
        // Box-Muller, cosine branch, as Philox.Normal: sqrt(-2 log(1 - u1)) cos(2 pi u2), 2 pi folded first.
        __device__ __forceinline__ double philox_normal(u64 seed, u64 index, u32 round)
        {
            u32 c0 = (u32)index, c1 = (u32)(index >> 32), c2 = round, c3 = 0;
            philox_block(c0, c1, c2, c3, seed);
            double u1 = __dsub_rn(1.0, unit_interval(c0, c1));
            double u2 = unit_interval(c2, c3);
            return __dmul_rn(sqrt(__dmul_rn(-2.0, log(u1))), cos(__dmul_rn(6.283185307179586, u2)));
        }
        """;

    /// <summary>
    /// y[i] = the sample for counter offset + i, converted to the dtype. Parameters: n, y, seed, offset, a, b.
    /// Normal and truncated normal draws are built here for float32 only (the backend draws float64 ones on the host,
    /// since CUDA's double log and cos may differ from the host's in the last bit).
    /// </summary>
    public static KernelSpec Sample(RandomDistribution distribution, DType dtype)
    {
        string t = CTypes.Of(dtype);
        string store = dtype == DType.Float32 ? "__double2float_rn(v)" : "v";
        string draw = distribution switch
        {
            RandomDistribution.Uniform => "double v = __dadd_rn(a, __dmul_rn(b - a, philox_uniform(seed, index)));",
            RandomDistribution.Normal => "double v = __dadd_rn(a, __dmul_rn(b, philox_normal(seed, index, 0)));",
            RandomDistribution.TruncatedNormal => """
                double z = philox_normal(seed, index, 0);
                for (u32 round = 1; fabs(z) > 2.0; round++) z = philox_normal(seed, index, round);
                double v = __dadd_rn(a, __dmul_rn(b, z));
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "Unknown distribution."),
        };
        return new KernelSpec($"random_{distribution.ToString().ToLowerInvariant()}_{CTypes.Tag(dtype)}",
            [KernelParam.Int("n"), KernelParam.Out("y", t), KernelParam.Long("seed"), KernelParam.Long("offset"),
             KernelParam.Scalar("a", "double"), KernelParam.Scalar("b", "double")],
            CTypes.GridLoop("n", $"u64 index = (u64)offset + (u64)i;\n{draw}\ny[i] = {store};"), Helpers);
    }
}
