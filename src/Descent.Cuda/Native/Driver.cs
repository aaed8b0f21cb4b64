using System.Runtime.InteropServices;

namespace Descent.Cuda.Native;

/// <summary>
/// The CUDA driver API (cuda.h) functions the backend uses, as exported by libcuda.so.1. Versioned entry points
/// are named as the header's macros resolve them (cuMemAlloc is cuMemAlloc_v2); CUdeviceptr is 64-bit (ulong),
/// CUdevice an int, and contexts, streams, modules and functions are opaque pointers. Every function returns a
/// CUresult, 0 on success; <see cref="Check"/> turns any other into an exception that names the call and the op.
/// </summary>
internal static unsafe partial class Driver
{
    private const string Lib = CudaLibraries.DriverName;

    public const int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    public const int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    public const int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    public const uint CU_STREAM_NON_BLOCKING = 1;
    public const int CUDA_ERROR_OUT_OF_MEMORY = 2;

    [LibraryImport(Lib)] public static partial int cuInit(uint flags);
    [LibraryImport(Lib)] public static partial int cuDriverGetVersion(out int version);
    [LibraryImport(Lib)] public static partial int cuDeviceGetCount(out int count);
    [LibraryImport(Lib)] public static partial int cuDeviceGet(out int device, int ordinal);
    [LibraryImport(Lib)] public static partial int cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Lib)] public static partial int cuDeviceGetAttribute(out int value, int attribute, int device);
    [LibraryImport(Lib)] public static partial int cuDeviceTotalMem_v2(out nuint bytes, int device);
    [LibraryImport(Lib)] public static partial int cuDevicePrimaryCtxRetain(out nint context, int device);
    [LibraryImport(Lib)] public static partial int cuCtxSetCurrent(nint context);
    [LibraryImport(Lib)] public static partial int cuStreamCreate(out nint stream, uint flags);
    [LibraryImport(Lib)] public static partial int cuStreamSynchronize(nint stream);
    [LibraryImport(Lib)] public static partial int cuMemAlloc_v2(out ulong pointer, nuint bytes);
    [LibraryImport(Lib)] public static partial int cuMemFree_v2(ulong pointer);
    [LibraryImport(Lib)] public static partial int cuMemGetInfo_v2(out nuint free, out nuint total);
    [LibraryImport(Lib)] public static partial int cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemcpyDtoDAsync_v2(ulong destination, ulong source, nuint bytes, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemsetD8Async(ulong destination, byte value, nuint count, nint stream);
    [LibraryImport(Lib)] public static partial int cuModuleLoadData(out nint module, void* image);
    [LibraryImport(Lib)] public static partial int cuModuleGetFunction(out nint function, nint module, byte* name);

    [LibraryImport(Lib)]
    public static partial int cuLaunchKernel(nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, nint stream, void** parameters, void** extra);

    [LibraryImport(Lib)] public static partial int cuGetErrorName(int error, out nint text);
    [LibraryImport(Lib)] public static partial int cuGetErrorString(int error, out nint text);

    /// <summary>Throws <see cref="CudaException"/> naming <paramref name="call"/>, the driver's error and <paramref name="op"/> unless <paramref name="result"/> is 0.</summary>
    public static void Check(int result, string call, string op)
    {
        if (result != 0) throw new CudaException(result, Describe(result), call, op);
    }

    /// <summary>"CUDA_ERROR_OUT_OF_MEMORY (out of memory)", as the driver names it.</summary>
    public static string Describe(int result)
    {
        string name = cuGetErrorName(result, out nint n) == 0 && n != 0 ? Marshal.PtrToStringUTF8(n) ?? "" : "";
        string text = cuGetErrorString(result, out nint s) == 0 && s != 0 ? Marshal.PtrToStringUTF8(s) ?? "" : "";
        return name.Length == 0 ? $"CUresult {result}" : text.Length == 0 ? name : $"{name} ({text})";
    }
}
