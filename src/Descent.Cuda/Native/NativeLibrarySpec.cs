namespace Descent.Cuda.Native;

/// <summary>
/// One NVIDIA library the backend loads: its name in messages, the file names to look for (preferred first), and,
/// for a file found in a folder, the libraries beside it to load first (a library's own dependencies, which the
/// loader would otherwise look for only on its search path).
/// </summary>
internal sealed record NativeLibrarySpec(string Title, string[] FileNames, Func<string, string[]> CompanionPatterns, string Hint, string[]? LastResort = null)
{
    /// <summary>File names looked for only once every place has been searched for the others.</summary>
    public string[] LastResortNames => LastResort ?? [];

    /// <summary>The driver API. It comes with the display driver, not the toolkit: the loader's cache usually has it.</summary>
    public static NativeLibrarySpec Driver { get; } = new("the CUDA driver API", ["libcuda.so.1"], _ => [],
        "install NVIDIA's display driver (it ships libcuda.so.1)");

    /// <summary>
    /// NVRTC, newest first. 11.2 (the soname of NVRTC 11.x) is a last resort: it still compiles these kernels for
    /// Hopper (sm_90) and is what Debian ships, so the kernel compile tests can run where only it is installed.
    /// </summary>
    public static NativeLibrarySpec Nvrtc { get; } = new("NVRTC", ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"],
        file => [$"libnvrtc-builtins.so.{Major(file)}*"],
        "install the CUDA toolkit or pip's nvidia-cuda-nvrtc wheel", LastResort: ["libnvrtc.so.11.2"]);

    /// <summary>cuBLAS, newest first; it needs cuBLASLt of the same major version.</summary>
    public static NativeLibrarySpec Cublas { get; } = new("cuBLAS", ["libcublas.so.13", "libcublas.so.12"],
        file => [$"libcublasLt.so.{Major(file)}"],
        "install the CUDA toolkit or pip's nvidia-cublas wheel");

    /// <summary>The major version in a file name such as libcublas.so.13 ("13"); 11.2 gives "11".</summary>
    internal static string Major(string fileName)
    {
        string version = fileName[(fileName.IndexOf(".so.", StringComparison.Ordinal) + 4)..];
        int dot = version.IndexOf('.');
        return dot < 0 ? version : version[..dot];
    }

    /// <summary>"libnvrtc.so.13 or libnvrtc.so.12".</summary>
    public string FileList => FileNames.Length == 1 ? FileNames[0] : string.Join(", ", FileNames[..^1]) + " or " + FileNames[^1];
}
