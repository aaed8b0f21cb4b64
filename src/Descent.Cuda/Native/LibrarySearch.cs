namespace Descent.Cuda.Native;

/// <summary>A folder to look in, and why it is on the list ("CUDA_HOME", "pip wheels"); a null folder is the loader's own search.</summary>
internal readonly record struct SearchPlace(string Source, string? Folder);

/// <summary>
/// Where the NVIDIA libraries are looked for, in order: the folders in DESCENT_CUDA_LIBS; CUDA_HOME and CUDA_PATH
/// (lib64, targets/x86_64-linux/lib, lib); /usr/local/cuda*/ (lib64 and targets/x86_64-linux/lib, plain "cuda"
/// first, then newest version first); the loader's own search (LD_LIBRARY_PATH, the ldconfig cache); and the
/// nvidia/*/lib folders that pip's CUDA wheels (PyTorch's way of shipping them; nvidia/cu13/lib for CUDA 13) put in
/// a Python environment's site-packages. The environment and the roots are parameters, so tests use fake folders.
/// </summary>
internal sealed class LibrarySearch(Func<string, string?> environment, string usrLocal = "/usr/local",
    string[]? systemPythonPrefixes = null, string[]? driverFolders = null)
{
    /// <summary>The search as this process sees it.</summary>
    public static LibrarySearch FromEnvironment() => new(Environment.GetEnvironmentVariable);

    private readonly string[] _systemPythonPrefixes = systemPythonPrefixes ?? ["/usr/local", "/usr"];

    // Driver libraries that containers and WSL mount outside the loader's usual folders.
    private readonly string[] _driverFolders = driverFolders ?? ["/usr/local/nvidia/lib64", "/usr/lib/wsl/lib"];

    /// <summary>Every place to try for <paramref name="spec"/>, in order, each folder once.</summary>
    public IReadOnlyList<SearchPlace> Places(NativeLibrarySpec spec)
    {
        var places = new List<SearchPlace>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string source, string folder)
        {
            if (folder.Length > 0 && seen.Add(Path.GetFullPath(folder))) places.Add(new(source, folder));
        }

        foreach (var folder in Split(environment("DESCENT_CUDA_LIBS"))) Add("DESCENT_CUDA_LIBS", folder);
        foreach (var variable in new[] { "CUDA_HOME", "CUDA_PATH" })
            if (environment(variable) is { Length: > 0 } root)
                foreach (var sub in new[] { "lib64", "targets/x86_64-linux/lib", "lib" }) Add(variable, Path.Combine(root, sub));
        foreach (var root in CudaInstalls())
            foreach (var sub in new[] { "lib64", "targets/x86_64-linux/lib" }) Add($"{usrLocal}/cuda*", Path.Combine(root, sub));
        if (spec == NativeLibrarySpec.Driver)
            foreach (var folder in _driverFolders) Add("driver folders", folder);
        places.Add(new("the loader's search (LD_LIBRARY_PATH, the ldconfig cache)", null));
        foreach (var folder in PipWheelFolders()) Add("pip wheels", folder);
        return places;
    }

    /// <summary>The Python prefixes whose site-packages may hold pip's NVIDIA wheels.</summary>
    public IEnumerable<string> PythonPrefixes()
    {
        if (environment("VIRTUAL_ENV") is { Length: > 0 } venv) yield return venv;
        if (environment("CONDA_PREFIX") is { Length: > 0 } conda) yield return conda;
        // A python3 on PATH lives in <prefix>/bin.
        foreach (var folder in Split(environment("PATH")))
            if (Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)) == "bin" && Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder)) is { } prefix)
                yield return prefix;
        if (environment("HOME") is { Length: > 0 } home) yield return Path.Combine(home, ".local");
        foreach (var prefix in _systemPythonPrefixes) yield return prefix;
    }

    private IEnumerable<string> PipWheelFolders()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var prefix in PythonPrefixes())
            foreach (var lib in new[] { "lib", "lib64" })
            {
                var libFolder = Path.Combine(prefix, lib);
                if (!Directory.Exists(libFolder)) continue;
                foreach (var python in SortedDescending(Directory.EnumerateDirectories(libFolder, "python3*")))
                    foreach (var packages in new[] { "site-packages", "dist-packages" })
                    {
                        var nvidia = Path.Combine(python, packages, "nvidia");
                        if (!Directory.Exists(nvidia)) continue;
                        // nvidia/cu13/lib (CUDA 13's wheels) sorts before nvidia/cublas/lib and the other CUDA 12 folders.
                        foreach (var package in Directory.EnumerateDirectories(nvidia).Order(StringComparer.Ordinal))
                        {
                            var folder = Path.Combine(package, "lib");
                            if (Directory.Exists(folder) && seen.Add(folder)) yield return folder;
                        }
                    }
            }
    }

    // /usr/local/cuda (the toolkit's own link to the default) first, then cuda-13.0, cuda-12.4, ... newest first.
    private IEnumerable<string> CudaInstalls()
    {
        if (!Directory.Exists(usrLocal)) return [];
        var all = Directory.EnumerateDirectories(usrLocal, "cuda*").ToList();
        var plain = all.Where(d => Path.GetFileName(d) == "cuda");
        return plain.Concat(SortedDescending(all.Where(d => Path.GetFileName(d) != "cuda")));
    }

    /// <summary>Folder names ordered by the numbers in them, highest first (python3.12 before python3.9).</summary>
    private static IEnumerable<string> SortedDescending(IEnumerable<string> folders) =>
        folders.OrderByDescending(f => VersionKey(Path.GetFileName(f)), Comparer<long[]>.Create(CompareVersions)).ThenBy(f => f, StringComparer.Ordinal);

    private static long[] VersionKey(string name) =>
        System.Text.RegularExpressions.Regex.Matches(name, "[0-9]+").Select(m => long.TryParse(m.Value, out long v) ? v : 0).ToArray();

    private static int CompareVersions(long[]? a, long[]? b)
    {
        a ??= [];
        b ??= [];
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            if (a[i] != b[i]) return a[i].CompareTo(b[i]);
        return a.Length.CompareTo(b.Length);
    }

    private static string[] Split(string? list) =>
        string.IsNullOrEmpty(list) ? [] : list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
