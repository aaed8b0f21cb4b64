using System.Security.Cryptography;
using System.Text;

namespace Descent.Cuda.Kernels;

/// <summary>
/// Compiled kernels on disk, so a second run starts without compiling. An entry's name is a SHA-256 of everything the
/// binary depends on: the source, the target architecture, the NVRTC version and the compile options. The folder is
/// DESCENT_CUDA_CACHE when set ("off" disables the cache), else $XDG_CACHE_HOME/descent/cuda, else
/// ~/.cache/descent/cuda. Entries are written to a temporary file and renamed, so a crash never leaves half a binary;
/// a cache that cannot be read or written is skipped, never an error.
/// </summary>
internal sealed class KernelCache(string? folder)
{
    /// <summary>The cache this process uses.</summary>
    public static KernelCache FromEnvironment() => new(DefaultFolder(Environment.GetEnvironmentVariable));

    /// <summary>Where the cache lives for this environment, or null when it is switched off.</summary>
    public static string? DefaultFolder(Func<string, string?> environment)
    {
        if (environment("DESCENT_CUDA_CACHE") is { Length: > 0 } configured)
            return configured.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : configured;
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg) return Path.Combine(xdg, "descent", "cuda");
        if (environment("HOME") is { Length: > 0 } home) return Path.Combine(home, ".cache", "descent", "cuda");
        return Path.Combine(Path.GetTempPath(), "descent-cuda-cache");
    }

    public string? Folder { get; } = folder;

    /// <summary>The entry name for a kernel built from <paramref name="source"/> for <paramref name="target"/> (sm_90 or compute_90) by NVRTC <paramref name="nvrtcVersion"/> with <paramref name="options"/>.</summary>
    public static string Key(string source, string target, string nvrtcVersion, IEnumerable<string> options)
    {
        var text = new StringBuilder()
            .Append("target=").Append(target).Append('\n')
            .Append("nvrtc=").Append(nvrtcVersion).Append('\n')
            .Append("options=").AppendJoin(' ', options).Append('\n')
            .Append(source);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public byte[]? TryRead(string key, string extension)
    {
        if (Folder is null) return null;
        try
        {
            string path = Path.Combine(Folder, key + extension);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Write(string key, string extension, byte[] image)
    {
        if (Folder is null) return;
        try
        {
            Directory.CreateDirectory(Folder);
            string path = Path.Combine(Folder, key + extension), temporary = path + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, image);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Removes an entry the driver refused (a damaged file), so the next run compiles it afresh.</summary>
    public void Remove(string key, string extension)
    {
        if (Folder is null) return;
        try { File.Delete(Path.Combine(Folder, key + extension)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
