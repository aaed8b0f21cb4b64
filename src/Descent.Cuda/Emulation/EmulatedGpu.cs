using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Descent.Cuda.Backend;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Emulation;

/// <summary>
/// A GPU emulated on the CPU, chosen with DESCENT_CUDA_EMULATE=1: the CUDA backend's own generated kernels, compiled
/// by the host's C++ compiler (<see cref="HostKernelCompiler"/>) and run with CUDA's threads, blocks, barriers and
/// warp shuffles; GEMMs by <see cref="HostGemm"/>. It lets the whole device axis exercise the backend where there is no
/// GPU. It is not a GPU: kernels run at launch on the calling thread (so the stream never reorders anything), math
/// functions are glibc's, and nothing is timed. Every buffer has guard bytes on both sides, checked after each launch,
/// so a kernel that writes out of bounds fails the op that launched it.
/// </summary>
internal sealed unsafe class EmulatedGpu : IGpu
{
    /// <summary>Bytes before and after each buffer; 256 keeps the buffer itself aligned as cuMemAlloc's are.</summary>
    private const int Guard = 256;

    private const byte GuardByte = 0xA5;

    private readonly long _capacity;
    private readonly HostKernelCompiler _compiler;
    private readonly ConcurrentDictionary<ulong, long> _buffers = new();
    private long _used;

    private EmulatedGpu(HostKernelCompiler compiler, long capacity)
    {
        _compiler = compiler;
        _capacity = capacity;
    }

    /// <summary>True when DESCENT_CUDA_EMULATE asks for the emulation instead of a GPU.</summary>
    public static bool Requested => Environment.GetEnvironmentVariable("DESCENT_CUDA_EMULATE") is "1" or "true";

    /// <summary>The emulated device <paramref name="ordinal"/> (there is one), with <paramref name="capacity"/> bytes of memory.</summary>
    public static EmulatedGpu Open(int ordinal, long capacity = 8L << 30, HostKernelCompiler? compiler = null)
    {
        if (ordinal != 0) throw new ArgumentException($"Device: there is no cuda:{ordinal}; the CUDA emulation (DESCENT_CUDA_EMULATE) has one device, cuda:0.");
        return new EmulatedGpu(compiler ?? new HostKernelCompiler(KernelCache.FromEnvironment().Folder), capacity);
    }

    public string Description => $"CUDA emulated on the CPU (DESCENT_CUDA_EMULATE), kernels compiled by {_compiler.Version}; not a GPU";

    public int Architecture => 90;

    // Few, so grid-stride loops really loop on test-sized tensors.
    public int Multiprocessors => 2;

    public nint Stream => 1;

    public void MakeCurrent()
    {
    }

    public ulong TryAllocate(long bytes)
    {
        if (Interlocked.Add(ref _used, bytes) > _capacity)
        {
            Interlocked.Add(ref _used, -bytes);
            return 0;
        }
        var block = (byte*)NativeMemory.AlignedAlloc((nuint)(bytes + 2 * Guard), Guard);
        new Span<byte>(block, Guard).Fill(GuardByte);
        new Span<byte>(block + Guard + bytes, Guard).Fill(GuardByte);
        ulong pointer = (ulong)(block + Guard);
        _buffers[pointer] = bytes;
        return pointer;
    }

    public void Free(ulong pointer)
    {
        if (!_buffers.TryRemove(pointer, out long bytes)) throw new InvalidOperationException($"CUDA emulation: freeing {pointer:x}, which is no buffer.");
        CheckGuards(pointer, bytes, "freeing a buffer", null, "");
        Interlocked.Add(ref _used, -bytes);
        NativeMemory.AlignedFree((byte*)pointer - Guard);
    }

    public (long Free, long Total) Info() => (_capacity - Volatile.Read(ref _used), _capacity);

    public void Synchronize(string op)
    {
    }

    public void Upload(ulong destination, ReadOnlySpan<byte> source, string op) => source.CopyTo(new Span<byte>((void*)destination, source.Length));

    public void Download(ulong source, Span<byte> destination, string op) => new ReadOnlySpan<byte>((void*)source, destination.Length).CopyTo(destination);

    public void CopyDevice(ulong destination, ulong source, long bytes, string op) => Buffer.MemoryCopy((void*)source, (void*)destination, bytes, bytes);

    public void Memset(ulong destination, byte value, long bytes, string op) => NativeMemory.Fill((void*)destination, (nuint)bytes, value);

    public LoadedKernel Load(KernelSpec spec) => new(spec, _compiler.Load(spec));

    public void Launch(LoadedKernel kernel, (uint X, uint Y, uint Z) grid, uint block, uint sharedBytes, KernelArgs args, string op)
    {
        args.CheckAgainst(kernel.Spec, op);
        if (grid.X == 0 || grid.Y is 0 or > 65535 || grid.Z is 0 or > 65535 || block is 0 or > 1024)
            throw new CudaException($"CUDA emulation: {Where(op, kernel)} launched with grid ({grid.X}, {grid.Y}, {grid.Z}) and {block} threads a block, which a GPU refuses.");
        if (sharedBytes > 48 * 1024)
            throw new CudaException($"CUDA emulation: {Where(op, kernel)} asked for {sharedBytes} bytes of dynamic shared memory; more than 48 KiB needs an opt-in this backend does not make.");
        var pointers = stackalloc void*[Math.Max(1, args.Count)];
        fixed (byte* buffer = args.Buffer)
        {
            for (int i = 0; i < args.Count; i++) pointers[i] = buffer + args.OffsetOf(i);
            var launch = (delegate* unmanaged<uint, uint, uint, uint, uint, void**, byte*>)kernel.Function;
            byte* error = launch(grid.X, grid.Y, grid.Z, block, sharedBytes, pointers);
            if (error != null) throw new CudaException($"CUDA emulation: {Where(op, kernel)}: {Marshal.PtrToStringUTF8((nint)error)}.");
            for (int i = 0; i < args.Count; i++)
                if (args.KindOf(i).Kind == ParamKind.Pointer)
                {
                    ulong pointer = *(ulong*)(buffer + args.OffsetOf(i));
                    if (_buffers.TryGetValue(pointer, out long bytes)) CheckGuards(pointer, bytes, op, kernel, kernel.Spec.Params[i].Name);
                }
        }
    }

    public void Gemm(in GemmCall call, string op)
    {
        foreach (var (pointer, extent) in HostGemm.Extents(call))
            if (!Within(pointer, extent))
                throw new CudaException($"CUDA emulation: {op}: a GEMM operand of {extent} bytes at {pointer:x} runs outside its buffer.");
        HostGemm.Run(call);
    }

    /// <summary>Whether [pointer, pointer + bytes) lies in one buffer.</summary>
    private bool Within(ulong pointer, long bytes)
    {
        foreach (var (start, length) in _buffers)
            if (pointer >= start && pointer + (ulong)bytes <= start + (ulong)length) return true;
        return false;
    }

    /// <summary>"Gather (gather_f32_i32_o1_i1_p1)": built only for a message, not on every launch.</summary>
    private static string Where(string op, LoadedKernel? kernel) => kernel is null ? op : $"{op} ({kernel.Spec.Name})";

    private static void CheckGuards(ulong pointer, long bytes, string op, LoadedKernel? kernel, string parameter)
    {
        var before = new ReadOnlySpan<byte>((byte*)pointer - Guard, Guard);
        var after = new ReadOnlySpan<byte>((byte*)pointer + bytes, Guard);
        if (before.ContainsAnyExcept(GuardByte) || after.ContainsAnyExcept(GuardByte))
            throw new CudaException($"CUDA emulation: {Where(op, kernel)} wrote {(before.ContainsAnyExcept(GuardByte) ? "before the start" : "past the end")} of " +
                $"{(parameter.Length > 0 ? $"its buffer '{parameter}'" : "a buffer")} ({bytes} bytes).");
    }
}
