using System.Text;
using System.Text.RegularExpressions;
using Descent.Backends;
using Descent.Cuda.Kernels;
using Descent.Cuda.Native;

namespace Descent.Cuda.Tests;

/// <summary>A fact that is skipped, with the loader's reason, where no NVRTC library can be found.</summary>
public sealed class NvrtcFactAttribute : FactAttribute
{
    public NvrtcFactAttribute()
    {
        if (NvrtcCompileTests.WhyAbsent is { } reason) Skip = reason;
    }
}

/// <summary>A theory that is skipped, with the loader's reason, where no NVRTC library can be found.</summary>
public sealed class NvrtcTheoryAttribute : TheoryAttribute
{
    public NvrtcTheoryAttribute()
    {
        if (NvrtcCompileTests.WhyAbsent is { } reason) Skip = reason;
    }
}

/// <summary>
/// Compiles every generated kernel with NVRTC for Hopper, without a GPU: one program per family, each kernel in its own
/// namespace (its helpers may share names with another's). The PTX then says what parameters each entry point really
/// has, and they must be the ones its spec declares, which the launcher checks every launch against.
/// </summary>
public class NvrtcCompileTests
{
    private static readonly Lazy<string?> Absent = new(() =>
    {
        try
        {
            _ = CudaLibraries.Nvrtc;
            _ = Nvrtc.Version();
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            return $"no NVRTC here: {e.Message}";
        }
    });

    internal static string? WhyAbsent => Absent.Value;

    public static TheoryData<string> Families => [.. KernelCatalog.Families().Select(f => f.Family)];

    [NvrtcTheory]
    [MemberData(nameof(Families))]
    public void Every_kernel_of_a_family_compiles_with_the_parameters_its_spec_declares(string family)
    {
        var kernels = KernelCatalog.Families().Single(f => f.Family == family).Kernels.DistinctBy(k => k.Name).ToList();
        var source = new StringBuilder(Prelude.Text);
        for (int i = 0; i < kernels.Count; i++) source.Append($"namespace k{i} {{\n{kernels[i].Definition}}}\n");

        var ptx = Encoding.UTF8.GetString(Nvrtc.Compile(source.ToString(), family, ["--gpu-architecture=compute_90"], cubin: false)).TrimEnd('\0');

        var entries = Entries(ptx);
        foreach (var kernel in kernels)
        {
            Assert.True(entries.TryGetValue(kernel.Name, out var sizes), $"{kernel.Name} is not in the PTX");
            Assert.Equal(kernel.Params.Select(p => p.Footprint.Size), sizes);
        }
    }

    /// <summary>Each .entry's parameters' sizes in bytes, in order.</summary>
    private static Dictionary<string, int[]> Entries(string ptx)
    {
        var entries = new Dictionary<string, int[]>();
        foreach (Match entry in Regex.Matches(ptx, @"\.entry\s+(\w+)\s*\(([^)]*)\)"))
        {
            var sizes = Regex.Matches(entry.Groups[2].Value, @"\.param\s+(?:\.align\s+\d+\s+)?\.(\w+)\s+\w+(?:\[(\d+)\])?")
                .Select(p => (p.Groups[2].Success ? int.Parse(p.Groups[2].Value) : 1) * TypeSize(p.Groups[1].Value))
                .ToArray();
            entries[entry.Groups[1].Value] = sizes;
        }
        return entries;
    }

    private static int TypeSize(string type) => type switch
    {
        "b8" or "u8" or "s8" => 1,
        "b16" or "u16" or "s16" or "f16" => 2,
        "b32" or "u32" or "s32" or "f32" => 4,
        "b64" or "u64" or "s64" or "f64" => 8,
        _ => throw new InvalidDataException($"PTX parameter type .{type}"),
    };

    [NvrtcFact]
    public void A_compile_error_names_the_kernel_and_carries_the_compilers_log()
    {
        var broken = new KernelSpec("broken_kernel", [KernelParam.Int("n")], "undeclared_thing = n;");
        var e = Assert.Throws<CudaException>(() => Nvrtc.Compile(broken.Source, broken.Name, ["--gpu-architecture=compute_90"], cubin: false));
        Assert.Contains("nvrtcCompileProgram", e.Message);
        Assert.Contains("broken_kernel", e.Message);
        Assert.Contains("undeclared_thing", e.Message);
    }

    [NvrtcFact]
    public void The_compiler_builds_a_cubin_for_the_devices_architecture_once_then_reads_it_from_the_disk_cache()
    {
        var folder = Directory.CreateTempSubdirectory("descent-cuda-cache-").FullName;
        try
        {
            var supported = Nvrtc.SupportedArchitectures();
            Assert.Contains(90, supported);
            var compiler = new KernelCompiler(90, Nvrtc.Version(), supported, new KernelCache(folder));
            Assert.Equal(("sm_90", true), (compiler.Target, compiler.IsCubin));
            var spec = ElementwiseKernels.Unary(UnaryOp.Exp, DType.Float32, 2);

            var first = compiler.Compile(spec);
            var file = Assert.Single(Directory.GetFiles(folder));
            Assert.Equal(first.Key + ".cubin", Path.GetFileName(file));
            Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, first.Bytes[..4]); // a CUBIN is an ELF image

            File.WriteAllBytes(file, [1, 2, 3]); // what a cached entry holds is what is used
            Assert.Equal(new byte[] { 1, 2, 3 }, compiler.Compile(spec).Bytes);
            compiler.Forget(first);
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
