using System.Runtime.InteropServices;

namespace Descent.Cuda.Native;

/// <summary>
/// cuBLAS (cublas_api.h): the handle's set-up and the strided-batched GEMMs. The API is column-major; the backend
/// computes a row-major C = A·B as the column-major Cᵀ = Bᵀ·Aᵀ (see CudaBackend.MatMul). Every function returns a
/// cublasStatus_t, 0 on success; alpha and beta are read from host memory (the default pointer mode).
/// </summary>
internal static unsafe partial class Cublas
{
    private const string Lib = CudaLibraries.CublasName;

    public const int CUBLAS_OP_N = 0;
    public const int CUBLAS_OP_T = 1;
    public const int CUBLAS_DEFAULT_MATH = 0;
    public const int CUBLAS_TF32_TENSOR_OP_MATH = 3;

    [LibraryImport(Lib)] public static partial int cublasCreate_v2(out nint handle);
    [LibraryImport(Lib)] public static partial int cublasSetStream_v2(nint handle, nint stream);
    [LibraryImport(Lib)] public static partial int cublasSetMathMode(nint handle, int mode);
    [LibraryImport(Lib)] public static partial int cublasGetVersion_v2(nint handle, out int version);

    [LibraryImport(Lib)]
    public static partial int cublasSgemmStridedBatched(nint handle, int transa, int transb, int m, int n, int k,
        float* alpha, ulong a, int lda, long strideA, ulong b, int ldb, long strideB,
        float* beta, ulong c, int ldc, long strideC, int batchCount);

    [LibraryImport(Lib)]
    public static partial int cublasDgemmStridedBatched(nint handle, int transa, int transb, int m, int n, int k,
        double* alpha, ulong a, int lda, long strideA, ulong b, int ldb, long strideB,
        double* beta, ulong c, int ldc, long strideC, int batchCount);

    public static void Check(int status, string call, string op)
    {
        if (status != 0) throw new CudaException(status, StatusName(status), call, op);
    }

    // cublasGetStatusName exists only from CUDA 11.4 on; the codes are stable, so they are named here.
    private static string StatusName(int status) => status switch
    {
        1 => "CUBLAS_STATUS_NOT_INITIALIZED",
        3 => "CUBLAS_STATUS_ALLOC_FAILED",
        7 => "CUBLAS_STATUS_INVALID_VALUE",
        8 => "CUBLAS_STATUS_ARCH_MISMATCH",
        11 => "CUBLAS_STATUS_MAPPING_ERROR",
        13 => "CUBLAS_STATUS_EXECUTION_FAILED",
        14 => "CUBLAS_STATUS_INTERNAL_ERROR",
        15 => "CUBLAS_STATUS_NOT_SUPPORTED",
        16 => "CUBLAS_STATUS_LICENSE_ERROR",
        _ => $"cublasStatus_t {status}",
    };
}
