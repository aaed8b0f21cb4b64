using System.Runtime.InteropServices;

namespace Descent.Cuda.Native;

/// <summary>Opens a shared library by path or by bare name (the loader's search); tests give a fake.</summary>
internal interface INativeLoader
{
    /// <summary>The library's handle, or false with the loader's reason.</summary>
    bool TryLoad(string pathOrName, out nint handle, out string error);
}

/// <summary>dlopen through <see cref="NativeLibrary"/>, keeping its message when it fails.</summary>
internal sealed class SystemLoader : INativeLoader
{
    public static SystemLoader Instance { get; } = new();

    public bool TryLoad(string pathOrName, out nint handle, out string error)
    {
        try
        {
            handle = NativeLibrary.Load(pathOrName);
            error = "";
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            handle = 0;
            error = e.Message;
            return false;
        }
    }
}

/// <summary>A library that loaded: its handle and where it came from.</summary>
internal sealed record LoadedLibrary(nint Handle, string Path, string Source);

/// <summary>
/// Walks <see cref="LibrarySearch.Places"/> for one library and loads the first file that opens. When none does,
/// the exception lists every place tried and what happened there.
/// </summary>
internal static class LibraryLoader
{
    /// <summary>
    /// The first file of <paramref name="spec"/> that loads. With <paramref name="newestMajor"/> (the CUDA major version
    /// the driver supports), files of a newer major version are skipped: CUDA's minor-version compatibility does not
    /// cross major versions, so cuBLAS 13 (or a CUBIN from NVRTC 13) does not run on a CUDA 12 driver.
    /// </summary>
    public static LoadedLibrary Load(NativeLibrarySpec spec, LibrarySearch search, INativeLoader loader, int? newestMajor = null)
    {
        var tried = new List<string>();
        var sources = new List<string>();
        void Tried(string line)
        {
            if (!tried.Contains(line)) tried.Add(line);
        }
        var usable = spec.FileNames.Where(n => newestMajor is not int newest || int.Parse(NativeLibrarySpec.Major(n)) <= newest).ToArray();
        if (usable.Length < spec.FileNames.Length)
            tried.Add($"{string.Join(", ", spec.FileNames.Except(usable))}: skipped, newer than the driver's CUDA {newestMajor}");
        // Every place is searched for the preferred names before any for a last resort.
        string[][] tiers = [[.. usable.Except(spec.LastResortNames)], [.. usable.Intersect(spec.LastResortNames)]];
        foreach (var names in tiers.Where(t => t.Length > 0))
            foreach (var place in search.Places(spec))
            {
                if (!sources.Contains(place.Source)) sources.Add(place.Source);
                if (place.Folder is null)
                {
                    foreach (var name in names)
                    {
                        if (loader.TryLoad(name, out nint handle, out string error)) return new(handle, name, place.Source);
                        Tried($"{name} by the loader's search: {Reason(error)}");
                    }
                    continue;
                }
                var present = names.Where(n => File.Exists(Path.Combine(place.Folder, n))).ToList();
                if (present.Count == 0)
                {
                    Tried($"{place.Folder} ({place.Source}): not there");
                    continue;
                }
                foreach (var name in present)
                {
                    string path = Path.Combine(place.Folder, name);
                    LoadCompanions(spec, place.Folder, name, loader);
                    if (loader.TryLoad(path, out nint handle, out string error)) return new(handle, path, place.Source);
                    Tried($"{path} ({place.Source}): {Reason(error)}");
                }
            }
        tried.InsertRange(0, new[] { "DESCENT_CUDA_LIBS", "CUDA_HOME", "CUDA_PATH" }.Where(v => !sources.Contains(v)).Select(v => $"{v}: not set"));
        if (!sources.Contains("pip wheels")) tried.Add("pip wheels: no nvidia/*/lib folder in the site-packages of " + string.Join(", ", search.PythonPrefixes().Distinct()));
        throw new InvalidOperationException(
            $"CUDA: cannot load {spec.Title} ({spec.FileList}). Tried, in order: {string.Join("; ", tried)}. " +
            $"To fix it, {spec.Hint}, or set DESCENT_CUDA_LIBS to the folder that holds it.");
    }

    // A library's dependencies (cuBLASLt for cuBLAS, NVRTC's builtins) load from the same folder first, so the loader
    // finds them by soname when the library asks for them, whatever its search path holds.
    private static void LoadCompanions(NativeLibrarySpec spec, string folder, string fileName, INativeLoader loader)
    {
        foreach (var pattern in spec.CompanionPatterns(fileName))
            foreach (var companion in Directory.EnumerateFiles(folder, pattern).Order(StringComparer.Ordinal))
                loader.TryLoad(companion, out _, out _);
    }

    // .NET's message starts with general advice and ends with the loader's own words (dlerror): keep those.
    private static string Reason(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "did not load" : lines[^1];
    }
}
