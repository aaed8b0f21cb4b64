using System.Reflection;
using System.Runtime.InteropServices;
using Descent.Cuda.Native;

namespace Descent.Cuda.Tests;

/// <summary>
/// The P/Invoke declarations against the C headers of CUDA 12 and 13 (cuda.h, nvrtc.h, cublas_api.h), without a GPU:
/// every entry point is a symbol the library exports (the _v2 names the header's macros resolve to), every parameter
/// has the C type's width (size_t is nuint, CUdeviceptr a 64-bit ulong, cuBLAS strides long long), and the enum
/// values are the headers'. A wrong width or a v1 symbol would not fail until the first call on a GPU.
/// </summary>
public sealed class NativeBindingTests
{
    // The C signature each declaration must match, as the managed types its arguments take (a "&" is a pointer the
    // callee writes through: out/ref). Handles (CUcontext, CUstream, CUmodule, CUfunction, nvrtcProgram,
    // cublasHandle_t) are pointers: nint. Enums and CUdevice are C ints.
    private static readonly Dictionary<string, string> DriverSignatures = new()
    {
        ["cuInit"] = "Int32 (UInt32)", // unsigned int Flags
        ["cuDriverGetVersion"] = "Int32 (Int32&)",
        ["cuDeviceGetCount"] = "Int32 (Int32&)",
        ["cuDeviceGet"] = "Int32 (Int32&, Int32)",
        ["cuDeviceGetName"] = "Int32 (Byte*, Int32, Int32)", // char *name, int len, CUdevice dev
        ["cuDeviceGetAttribute"] = "Int32 (Int32&, Int32, Int32)", // int *pi, CUdevice_attribute, CUdevice
        ["cuDeviceTotalMem_v2"] = "Int32 (UIntPtr&, Int32)", // size_t *bytes
        ["cuDevicePrimaryCtxRetain"] = "Int32 (IntPtr&, Int32)",
        ["cuCtxSetCurrent"] = "Int32 (IntPtr)",
        ["cuStreamCreate"] = "Int32 (IntPtr&, UInt32)",
        ["cuStreamSynchronize"] = "Int32 (IntPtr)",
        ["cuMemAlloc_v2"] = "Int32 (UInt64&, UIntPtr)", // CUdeviceptr *dptr, size_t bytesize
        ["cuMemFree_v2"] = "Int32 (UInt64)",
        ["cuMemGetInfo_v2"] = "Int32 (UIntPtr&, UIntPtr&)",
        ["cuMemcpyHtoDAsync_v2"] = "Int32 (UInt64, Void*, UIntPtr, IntPtr)",
        ["cuMemcpyDtoHAsync_v2"] = "Int32 (Void*, UInt64, UIntPtr, IntPtr)",
        ["cuMemcpyDtoDAsync_v2"] = "Int32 (UInt64, UInt64, UIntPtr, IntPtr)",
        ["cuMemsetD8Async"] = "Int32 (UInt64, Byte, UIntPtr, IntPtr)", // no _v2: the header maps only the synchronous cuMemsetD8
        ["cuModuleLoadData"] = "Int32 (IntPtr&, Void*)",
        ["cuModuleGetFunction"] = "Int32 (IntPtr&, IntPtr, Byte*)",
        // f, gridDimX..Z, blockDimX..Z, sharedMemBytes (all unsigned int), hStream, void **kernelParams, void **extra
        ["cuLaunchKernel"] = "Int32 (IntPtr, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, IntPtr, Void**, Void**)",
        ["cuGetErrorName"] = "Int32 (Int32, IntPtr&)", // const char **pStr
        ["cuGetErrorString"] = "Int32 (Int32, IntPtr&)",
    };

    private static readonly Dictionary<string, string> NvrtcSignatures = new()
    {
        ["nvrtcVersion"] = "Int32 (Int32&, Int32&)",
        ["nvrtcGetNumSupportedArchs"] = "Int32 (Int32&)",
        ["nvrtcGetSupportedArchs"] = "Int32 (Int32*)",
        // prog, src, name, numHeaders, const char * const *headers, const char * const *includeNames
        ["nvrtcCreateProgram"] = "Int32 (IntPtr&, Byte*, Byte*, Int32, Byte**, Byte**)",
        ["nvrtcCompileProgram"] = "Int32 (IntPtr, Int32, Byte**)",
        ["nvrtcDestroyProgram"] = "Int32 (IntPtr&)", // nvrtcProgram *prog
        ["nvrtcGetProgramLogSize"] = "Int32 (IntPtr, UIntPtr&)",
        ["nvrtcGetProgramLog"] = "Int32 (IntPtr, Byte*)",
        ["nvrtcGetPTXSize"] = "Int32 (IntPtr, UIntPtr&)",
        ["nvrtcGetPTX"] = "Int32 (IntPtr, Byte*)",
        ["nvrtcGetCUBINSize"] = "Int32 (IntPtr, UIntPtr&)",
        ["nvrtcGetCUBIN"] = "Int32 (IntPtr, Byte*)",
        ["nvrtcGetErrorString"] = "IntPtr (Int32)", // returns const char*
    };

    private static readonly Dictionary<string, string> CublasSignatures = new()
    {
        ["cublasCreate_v2"] = "Int32 (IntPtr&)",
        ["cublasSetStream_v2"] = "Int32 (IntPtr, IntPtr)",
        ["cublasSetMathMode"] = "Int32 (IntPtr, Int32)", // exported without _v2
        ["cublasGetVersion_v2"] = "Int32 (IntPtr, Int32&)",
        // handle, transa, transb, int m, n, k, alpha*, A, int lda, long long strideA, B, int ldb, long long strideB,
        // beta*, C, int ldc, long long strideC, int batchCount; exported without _v2
        ["cublasSgemmStridedBatched"] = "Int32 (IntPtr, Int32, Int32, Int32, Int32, Int32, Single*, UInt64, Int32, Int64, UInt64, Int32, Int64, Single*, UInt64, Int32, Int64, Int32)",
        ["cublasDgemmStridedBatched"] = "Int32 (IntPtr, Int32, Int32, Int32, Int32, Int32, Double*, UInt64, Int32, Int64, UInt64, Int32, Int64, Double*, UInt64, Int32, Int64, Int32)",
    };

    private static Dictionary<string, string> Declared(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<LibraryImportAttribute>() is not null)
            .ToDictionary(m => m.GetCustomAttribute<LibraryImportAttribute>()!.EntryPoint ?? m.Name, Signature);

    private static List<string> Sorted(Dictionary<string, string> signatures) =>
        [.. signatures.Select(s => $"{s.Key}: {s.Value}").Order(StringComparer.Ordinal)];

    private static string Signature(MethodInfo method) =>
        $"{Name(method.ReturnType)} ({string.Join(", ", method.GetParameters().Select(p => Name(p.ParameterType)))})";

    private static string Name(Type type) =>
        type.IsByRef ? Name(type.GetElementType()!) + "&" : type.IsPointer ? Name(type.GetElementType()!) + "*" : type.Name;

    [Fact]
    public void Driver_entry_points_match_cuda_h() => Assert.Equal(Sorted(DriverSignatures), Sorted(Declared(typeof(Driver))));

    [Fact]
    public void Nvrtc_entry_points_match_nvrtc_h() => Assert.Equal(Sorted(NvrtcSignatures), Sorted(Declared(typeof(Nvrtc))));

    [Fact]
    public void Cublas_entry_points_match_cublas_api_h() => Assert.Equal(Sorted(CublasSignatures), Sorted(Declared(typeof(Cublas))));

    [Fact]
    public void Constants_are_the_header_values()
    {
        // cuda.h: enum CUdevice_attribute, CUstream_flags, cudaError_enum.
        Assert.Equal(16, Driver.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        Assert.Equal(75, Driver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        Assert.Equal(76, Driver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        Assert.Equal(1u, Driver.CU_STREAM_NON_BLOCKING);
        Assert.Equal(2, Driver.CUDA_ERROR_OUT_OF_MEMORY);
        // cublas_api.h: cublasOperation_t, cublasMath_t (CUBLAS_TENSOR_OP_MATH = 1, CUBLAS_PEDANTIC_MATH = 2).
        Assert.Equal(0, Cublas.CUBLAS_OP_N);
        Assert.Equal(1, Cublas.CUBLAS_OP_T);
        Assert.Equal(0, Cublas.CUBLAS_DEFAULT_MATH);
        Assert.Equal(3, Cublas.CUBLAS_TF32_TENSOR_OP_MATH);
    }

    [NvrtcFact]
    public void Every_nvrtc_entry_point_is_exported_by_the_nvrtc_found_here()
    {
        var missing = NvrtcSignatures.Keys.Where(name => !NativeLibrary.TryGetExport(CudaLibraries.Nvrtc.Handle, name, out _)).ToList();
        Assert.Empty(missing);
    }
}
