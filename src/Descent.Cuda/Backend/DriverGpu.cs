using System.Text;
using Descent.Cuda.Kernels;
using Descent.Cuda.Native;

namespace Descent.Cuda.Backend;

/// <summary>
/// A GPU through the driver API: the device's primary context, one non-blocking stream that every copy, kernel and
/// GEMM is queued on, NVRTC-compiled modules and a cuBLAS handle bound to that stream.
/// </summary>
internal sealed unsafe class DriverGpu : IGpu
{
    private readonly int _ordinal;
    private readonly nint _context;
    private readonly KernelCompiler _compiler;
    private readonly object _blasGate = new();
    private nint _blas;

    [ThreadStatic] private static nint t_current;

    private DriverGpu(int ordinal, nint context, nint stream, string description, int architecture, int multiprocessors, KernelCompiler compiler)
    {
        _ordinal = ordinal;
        _context = context;
        Stream = stream;
        Description = description;
        Architecture = architecture;
        Multiprocessors = multiprocessors;
        _compiler = compiler;
    }

    /// <summary>Loads the three libraries (each failure lists where it looked), initializes the driver and opens GPU <paramref name="ordinal"/>.</summary>
    public static DriverGpu Open(int ordinal)
    {
        try
        {
            return OpenDevice(ordinal);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new CudaException($"CUDA: a library lacks a function this backend calls ({e.Message}); the driver or the toolkit is older than CUDA 12.");
        }
    }

    private static DriverGpu OpenDevice(int ordinal)
    {
        const string op = "opening the device";
        _ = CudaLibraries.Driver;
        _ = CudaLibraries.Nvrtc;
        _ = CudaLibraries.Cublas;
        Driver.Check(Driver.cuInit(0), "cuInit", op);
        Driver.Check(Driver.cuDeviceGetCount(out int count), "cuDeviceGetCount", op);
        if (ordinal >= count)
            throw new ArgumentException($"Device: there is no cuda:{ordinal}; this machine has {count} CUDA device{(count == 1 ? "" : "s")} (cuda:0{(count > 1 ? $" to cuda:{count - 1}" : "")}).");
        Driver.Check(Driver.cuDeviceGet(out int device, ordinal), "cuDeviceGet", op);
        Driver.Check(Driver.cuDeviceGetAttribute(out int major, Driver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "cuDeviceGetAttribute", op);
        Driver.Check(Driver.cuDeviceGetAttribute(out int minor, Driver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "cuDeviceGetAttribute", op);
        Driver.Check(Driver.cuDeviceGetAttribute(out int sms, Driver.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device), "cuDeviceGetAttribute", op);
        Driver.Check(Driver.cuDeviceTotalMem_v2(out nuint total, device), "cuDeviceTotalMem", op);
        var name = new byte[256];
        fixed (byte* n = name) Driver.Check(Driver.cuDeviceGetName(n, name.Length, device), "cuDeviceGetName", op);
        Driver.Check(Driver.cuDevicePrimaryCtxRetain(out nint context, device), "cuDevicePrimaryCtxRetain", op);
        Driver.Check(Driver.cuCtxSetCurrent(context), "cuCtxSetCurrent", op);
        t_current = context;
        Driver.Check(Driver.cuStreamCreate(out nint stream, Driver.CU_STREAM_NON_BLOCKING), "cuStreamCreate", op);
        int architecture = major * 10 + minor;
        var compiler = new KernelCompiler(architecture, Nvrtc.Version(), Nvrtc.SupportedArchitectures(), KernelCache.FromEnvironment());
        string description = $"{Encoding.UTF8.GetString(name).TrimEnd('\0')}, sm_{architecture}, {sms} multiprocessors, " +
            $"{CachingAllocator.Format((long)total)}, NVRTC {compiler.NvrtcVersion} ({compiler.Target}) from {CudaLibraries.Nvrtc.Path}, cuBLAS from {CudaLibraries.Cublas.Path}";
        return new DriverGpu(ordinal, context, stream, description, architecture, sms, compiler);
    }

    public string Description { get; }
    public int Architecture { get; }
    public int Multiprocessors { get; }

    /// <summary>The device's one stream.</summary>
    public nint Stream { get; }

    public void MakeCurrent()
    {
        if (t_current == _context) return;
        Driver.Check(Driver.cuCtxSetCurrent(_context), "cuCtxSetCurrent", $"cuda:{_ordinal}");
        t_current = _context;
    }

    public ulong TryAllocate(long bytes)
    {
        MakeCurrent();
        int result = Driver.cuMemAlloc_v2(out ulong pointer, (nuint)bytes);
        if (result == Driver.CUDA_ERROR_OUT_OF_MEMORY) return 0;
        Driver.Check(result, "cuMemAlloc", $"allocating {bytes} bytes");
        return pointer;
    }

    public void Free(ulong pointer)
    {
        MakeCurrent();
        Driver.Check(Driver.cuMemFree_v2(pointer), "cuMemFree", "freeing device memory");
    }

    public (long Free, long Total) Info()
    {
        MakeCurrent();
        return Driver.cuMemGetInfo_v2(out nuint free, out nuint total) == 0 ? ((long)free, (long)total) : (-1, -1);
    }

    public void Upload(ulong destination, ReadOnlySpan<byte> source, string op)
    {
        if (source.IsEmpty) return;
        MakeCurrent();
        // From pageable memory the call returns once the bytes are staged, so the span may change afterwards.
        fixed (byte* s = source) Driver.Check(Driver.cuMemcpyHtoDAsync_v2(destination, s, (nuint)source.Length, Stream), "cuMemcpyHtoDAsync", op);
    }

    public void Download(ulong source, Span<byte> destination, string op)
    {
        MakeCurrent();
        // The span stays pinned until the stream has finished the copy: a managed array may move once unpinned, and
        // only for pageable memory does the driver promise that the async copy has completed when the call returns.
        fixed (byte* d = destination)
        {
            if (!destination.IsEmpty)
                Driver.Check(Driver.cuMemcpyDtoHAsync_v2(d, source, (nuint)destination.Length, Stream), "cuMemcpyDtoHAsync", op);
            Driver.Check(Driver.cuStreamSynchronize(Stream), "cuStreamSynchronize", op);
        }
    }

    public void CopyDevice(ulong destination, ulong source, long bytes, string op)
    {
        if (bytes == 0) return;
        MakeCurrent();
        Driver.Check(Driver.cuMemcpyDtoDAsync_v2(destination, source, (nuint)bytes, Stream), "cuMemcpyDtoDAsync", op);
    }

    public void Memset(ulong destination, byte value, long bytes, string op)
    {
        if (bytes == 0) return;
        MakeCurrent();
        Driver.Check(Driver.cuMemsetD8Async(destination, value, (nuint)bytes, Stream), "cuMemsetD8Async", op);
    }

    public LoadedKernel Load(KernelSpec spec)
    {
        MakeCurrent();
        var image = _compiler.Compile(spec);
        nint module;
        int result;
        fixed (byte* b = image.Bytes) result = Driver.cuModuleLoadData(out module, b);
        if (result != 0)
        {
            // A damaged cache entry: compile afresh once.
            _compiler.Forget(image);
            image = _compiler.Compile(spec);
            fixed (byte* b = image.Bytes) Driver.Check(Driver.cuModuleLoadData(out module, b), "cuModuleLoadData", spec.Name);
        }
        var name = Encoding.UTF8.GetBytes(spec.Name + "\0");
        nint function;
        fixed (byte* n = name) Driver.Check(Driver.cuModuleGetFunction(out function, module, n), "cuModuleGetFunction", spec.Name);
        return new LoadedKernel(spec, function);
    }

    public void Launch(LoadedKernel kernel, (uint X, uint Y, uint Z) grid, uint block, uint sharedBytes, KernelArgs args, string op)
    {
        args.CheckAgainst(kernel.Spec, op);
        MakeCurrent();
        var pointers = stackalloc void*[Math.Max(1, args.Count)];
        fixed (byte* buffer = args.Buffer)
        {
            for (int i = 0; i < args.Count; i++) pointers[i] = buffer + args.OffsetOf(i);
            Driver.Check(Driver.cuLaunchKernel(kernel.Function, grid.X, grid.Y, grid.Z, block, 1, 1, sharedBytes, Stream, pointers, null),
                "cuLaunchKernel", $"{op} ({kernel.Spec.Name})");
        }
    }

    public void Gemm(in GemmCall call, string op)
    {
        MakeCurrent();
        lock (_blasGate)
        {
            if (_blas == 0)
            {
                Cublas.Check(Cublas.cublasCreate_v2(out _blas), "cublasCreate", op);
                Cublas.Check(Cublas.cublasSetStream_v2(_blas, Stream), "cublasSetStream", op);
            }
            Cublas.Check(Cublas.cublasSetMathMode(_blas, call.Tf32 ? Cublas.CUBLAS_TF32_TENSOR_OP_MATH : Cublas.CUBLAS_DEFAULT_MATH), "cublasSetMathMode", op);
            int ta = call.TransposeA ? Cublas.CUBLAS_OP_T : Cublas.CUBLAS_OP_N, tb = call.TransposeB ? Cublas.CUBLAS_OP_T : Cublas.CUBLAS_OP_N;
            if (call.DType == DType.Float32)
            {
                float one = 1, zero = 0;
                Cublas.Check(Cublas.cublasSgemmStridedBatched(_blas, ta, tb, call.M, call.N, call.K, &one, call.A, call.Lda, call.StrideA,
                    call.B, call.Ldb, call.StrideB, &zero, call.C, call.Ldc, call.StrideC, call.Batch), "cublasSgemmStridedBatched", op);
            }
            else
            {
                double one = 1, zero = 0;
                Cublas.Check(Cublas.cublasDgemmStridedBatched(_blas, ta, tb, call.M, call.N, call.K, &one, call.A, call.Lda, call.StrideA,
                    call.B, call.Ldb, call.StrideB, &zero, call.C, call.Ldc, call.StrideC, call.Batch), "cublasDgemmStridedBatched", op);
            }
        }
    }

    public void Synchronize(string op)
    {
        MakeCurrent();
        Driver.Check(Driver.cuStreamSynchronize(Stream), "cuStreamSynchronize", op);
    }
}
