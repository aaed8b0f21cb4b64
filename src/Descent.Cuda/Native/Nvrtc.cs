using System.Runtime.InteropServices;
using System.Text;

namespace Descent.Cuda.Native;

/// <summary>
/// NVRTC (nvrtc.h): compiles CUDA C source at run time to PTX, or to CUBIN for a real architecture (sm_90). An
/// nvrtcProgram is an opaque pointer; every function returns an nvrtcResult, 0 on success.
/// </summary>
internal static unsafe partial class Nvrtc
{
    private const string Lib = CudaLibraries.NvrtcName;

    [LibraryImport(Lib)] public static partial int nvrtcVersion(out int major, out int minor);
    [LibraryImport(Lib)] public static partial int nvrtcGetNumSupportedArchs(out int count);
    [LibraryImport(Lib)] public static partial int nvrtcGetSupportedArchs(int* architectures);
    [LibraryImport(Lib)] public static partial int nvrtcCreateProgram(out nint program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);
    [LibraryImport(Lib)] public static partial int nvrtcCompileProgram(nint program, int optionCount, byte** options);
    [LibraryImport(Lib)] public static partial int nvrtcDestroyProgram(ref nint program);
    [LibraryImport(Lib)] public static partial int nvrtcGetProgramLogSize(nint program, out nuint size);
    [LibraryImport(Lib)] public static partial int nvrtcGetProgramLog(nint program, byte* log);
    [LibraryImport(Lib)] public static partial int nvrtcGetPTXSize(nint program, out nuint size);
    [LibraryImport(Lib)] public static partial int nvrtcGetPTX(nint program, byte* ptx);
    [LibraryImport(Lib)] public static partial int nvrtcGetCUBINSize(nint program, out nuint size);
    [LibraryImport(Lib)] public static partial int nvrtcGetCUBIN(nint program, byte* cubin);
    [LibraryImport(Lib)] public static partial nint nvrtcGetErrorString(int result);

    public static void Check(int result, string call, string op)
    {
        if (result != 0) throw new CudaException(result, Marshal.PtrToStringUTF8(nvrtcGetErrorString(result)) ?? $"nvrtcResult {result}", call, op);
    }

    /// <summary>The library's version as "12.8".</summary>
    public static string Version()
    {
        Check(nvrtcVersion(out int major, out int minor), "nvrtcVersion", "loading NVRTC");
        return $"{major}.{minor}";
    }

    /// <summary>The real architectures (75 for sm_75, 90 for sm_90) this NVRTC compiles for.</summary>
    public static int[] SupportedArchitectures()
    {
        Check(nvrtcGetNumSupportedArchs(out int count), "nvrtcGetNumSupportedArchs", "loading NVRTC");
        var archs = new int[count];
        fixed (int* p = archs) Check(nvrtcGetSupportedArchs(p), "nvrtcGetSupportedArchs", "loading NVRTC");
        return archs;
    }

    /// <summary>
    /// Compiles <paramref name="source"/> with <paramref name="options"/>; returns CUBIN when <paramref name="cubin"/>,
    /// else PTX (null-terminated, as cuModuleLoadData wants it). A compile error throws with NVRTC's log.
    /// </summary>
    public static byte[] Compile(string source, string name, IReadOnlyList<string> options, bool cubin)
    {
        byte[] src = Utf8(source), file = Utf8(name + ".cu");
        nint program;
        fixed (byte* s = src, f = file)
            Check(nvrtcCreateProgram(out program, s, f, 0, null, null), "nvrtcCreateProgram", name);
        try
        {
            var handles = options.Select(o => GCHandle.Alloc(Utf8(o), GCHandleType.Pinned)).ToArray();
            int result;
            try
            {
                var pointers = stackalloc byte*[Math.Max(1, handles.Length)];
                for (int i = 0; i < handles.Length; i++) pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                result = nvrtcCompileProgram(program, handles.Length, pointers);
            }
            finally
            {
                foreach (var h in handles) h.Free();
            }
            if (result != 0)
                throw new CudaException(result, Marshal.PtrToStringUTF8(nvrtcGetErrorString(result)) ?? $"nvrtcResult {result}", "nvrtcCompileProgram",
                    $"{name} (options {string.Join(" ", options)}); the compiler's log:\n{Log(program)}");
            nuint size;
            if (cubin) Check(nvrtcGetCUBINSize(program, out size), "nvrtcGetCUBINSize", name);
            else Check(nvrtcGetPTXSize(program, out size), "nvrtcGetPTXSize", name);
            var output = new byte[(int)size];
            fixed (byte* o = output)
            {
                if (cubin) Check(nvrtcGetCUBIN(program, o), "nvrtcGetCUBIN", name);
                else Check(nvrtcGetPTX(program, o), "nvrtcGetPTX", name);
            }
            return output;
        }
        finally
        {
            nvrtcDestroyProgram(ref program);
        }
    }

    private static string Log(nint program)
    {
        if (nvrtcGetProgramLogSize(program, out nuint size) != 0 || size <= 1) return "(empty)";
        var log = new byte[(int)size];
        fixed (byte* l = log) nvrtcGetProgramLog(program, l);
        return Encoding.UTF8.GetString(log, 0, log.Length - 1);
    }

    private static byte[] Utf8(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
