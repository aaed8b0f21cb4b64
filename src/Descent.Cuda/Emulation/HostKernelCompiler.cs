using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Emulation;

/// <summary>
/// Compiles generated kernels for the CPU with the host's C++ compiler (CXX, else c++, g++ or clang++ on the PATH):
/// cuda_emulation.h, the prelude and the kernel's own text, plus a launcher that unpacks the argument pointers into
/// the kernel's parameters. Each kernel becomes a shared library in a cache folder, named by a hash of everything it
/// is built from; all of them use one runtime library (the fiber scheduler), built first. Compiled without
/// contraction, so a * b + c rounds twice, as the GPU's kernels do with --fmad=false.
/// </summary>
internal sealed partial class HostKernelCompiler
{
    private static readonly string[] Flags = ["-std=c++17", "-O1", "-w", "-fPIC", "-shared", "-fvisibility=hidden", "-ffp-contract=off", "-fno-fast-math"];

    private readonly string _compiler;
    private readonly string _folder;
    private readonly string _runtimeName;
    private readonly string _header;
    private readonly Lazy<string> _runtime;

    /// <param name="cacheFolder">Where compiled kernels are kept (an "emulated" folder inside it); a temporary folder when null.</param>
    /// <param name="compilers">The compilers to try, first that works; by default CXX, else c++, g++ and clang++.</param>
    public HostKernelCompiler(string? cacheFolder, IReadOnlyList<string>? compilers = null)
    {
        (_compiler, Version) = FindCompiler(compilers ?? DefaultCompilers());
        _folder = cacheFolder is null ? Directory.CreateTempSubdirectory("descent-cuda-emulation-").FullName : Path.Combine(cacheFolder, "emulated");
        Directory.CreateDirectory(_folder);
        _header = Resource("cuda_emulation.h");
        string runtimeSource = Resource("cuda_emulation_runtime.cpp");
        _runtimeName = $"libdescent_cuda_emulation_{Hash(runtimeSource + _compiler)[..16]}.so";
        _runtime = new Lazy<string>(() => Build(_runtimeName, runtimeSource, ["-O2", $"-Wl,-soname,{_runtimeName}"]));
    }

    /// <summary>"g++ (Debian 12.2.0-14) 12.2.0".</summary>
    public string Version { get; }

    /// <summary>The kernel's launcher: const char* emu_launch(gx, gy, gz, threads, sharedBytes, void** args), null on success.</summary>
    public nint Load(KernelSpec spec)
    {
        _ = _runtime.Value;
        string source = Translate(spec);
        string name = $"{spec.Name}_{Hash(_header + source + _runtimeName)[..16]}.so";
        string library = Build(name, _header + source, [$"-L{_folder}", $"-l:{_runtimeName}", $"-Wl,-rpath,{_folder}"]);
        var handle = NativeLibrary.Load(library);
        return NativeLibrary.GetExport(handle, "emu_launch");
    }

    /// <summary>The kernel's text for the host compiler: the prelude, the kernel (dynamic shared memory as a pointer) and its launcher.</summary>
    internal static string Translate(KernelSpec spec)
    {
        string definition = DynamicShared().Replace(spec.Definition, "$1* $2 = ($1*)emu_dynamic_shared;");
        bool barriers = definition.Contains("__syncthreads", StringComparison.Ordinal) || definition.Contains("shfl(", StringComparison.Ordinal);
        var text = new StringBuilder(Prelude.Text).Append(definition);
        text.Append("\nstatic void emu_body(void* state)\n{\n    void** a = (void**)state;\n    ").Append(spec.Name).Append('(');
        for (int i = 0; i < spec.Params.Count; i++)
        {
            var p = spec.Params[i];
            string type = p.Kind switch
            {
                ParamKind.Pointer => p.CType + "*",
                ParamKind.Int32 => "int",
                ParamKind.Int64 => "i64",
                ParamKind.Float32 => "float",
                ParamKind.Float64 => "double",
                _ => $"Lay<{p.Rank}>",
            };
            text.Append(i == 0 ? "" : ", ").Append($"*({type}*)a[{i}]");
        }
        text.Append(");\n}\n");
        text.Append("extern \"C\" __attribute__((visibility(\"default\"))) const char* emu_launch(unsigned gx, unsigned gy, unsigned gz, unsigned threads, unsigned shared, void** args)\n");
        text.Append($"{{\n    return emu_run(gx, gy, gz, threads, shared, {(barriers ? 1 : 0)}, emu_body, args);\n}}\n");
        return text.ToString();
    }

    [GeneratedRegex(@"extern\s+__shared__\s+(\w+)\s+(\w+)\s*\[\s*\]\s*;")]
    private static partial Regex DynamicShared();

    /// <summary>Compiles <paramref name="source"/> into <paramref name="name"/> in the folder unless it is there; returns its path.</summary>
    private string Build(string name, string source, string[] extra)
    {
        string library = Path.Combine(_folder, name);
        if (File.Exists(library)) return library;
        string stem = Path.Combine(_folder, $"{Path.GetFileNameWithoutExtension(name)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}");
        File.WriteAllText(stem + ".cpp", source);
        var start = new ProcessStartInfo(_compiler) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var flag in Flags) start.ArgumentList.Add(flag);
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(stem + ".so");
        start.ArgumentList.Add(stem + ".cpp");
        foreach (var flag in extra) start.ArgumentList.Add(flag);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new CudaException($"CUDA emulation: {_compiler} could not compile {name} ({stem}.cpp kept):\n{errors.Result}");
        File.Delete(stem + ".cpp");
        // Renamed into place, so a library is never seen half written (another process may build the same one).
        File.Move(stem + ".so", library, overwrite: true);
        return library;
    }

    private static string[] DefaultCompilers() =>
        Environment.GetEnvironmentVariable("CXX") is { Length: > 0 } cxx ? [cxx] : ["c++", "g++", "clang++"];

    private static (string Compiler, string Version) FindCompiler(IReadOnlyList<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
                string first = probe.StandardOutput.ReadLine() ?? "";
                probe.StandardOutput.ReadToEnd();
                probe.WaitForExit();
                if (probe.ExitCode != 0) continue;
                return (candidate, first);
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }
        throw new CudaException($"CUDA emulation (DESCENT_CUDA_EMULATE) needs a C++ compiler; tried {string.Join(", ", candidates)} (set CXX to name one).");
    }

    private static string Resource(string name)
    {
        using var stream = typeof(HostKernelCompiler).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Descent.Cuda lacks its embedded {name}.");
        return new StreamReader(stream).ReadToEnd();
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
