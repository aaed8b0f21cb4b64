using Descent.Cuda.Native;

namespace Descent.Cuda.Tests;

/// <summary>Where the NVIDIA libraries are looked for, in which order, and what the error says when none loads; on fake folders.</summary>
public sealed class LibraryDiscoveryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("descent-cuda-discovery-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Loads any file that exists (recording the order), and nothing by bare name.</summary>
    private sealed class FakeLoader(params string[] broken) : INativeLoader
    {
        public List<string> Tried { get; } = [];

        public bool TryLoad(string pathOrName, out nint handle, out string error)
        {
            Tried.Add(pathOrName);
            handle = 0;
            if (!Path.IsPathRooted(pathOrName))
            {
                error = $"{pathOrName}: cannot open shared object file: No such file or directory";
                return false;
            }
            if (broken.Contains(pathOrName) || !File.Exists(pathOrName))
            {
                error = $"{pathOrName}: invalid ELF header";
                return false;
            }
            handle = 42;
            error = "";
            return true;
        }
    }

    private string Folder(params string[] parts)
    {
        var path = Path.Combine([_root, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Touch(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "");
        return path;
    }

    private LibrarySearch Search(Dictionary<string, string> environment) =>
        new(name => environment.GetValueOrDefault(name), usrLocal: Folder("usr", "local"), systemPythonPrefixes: [], driverFolders: [Folder("nvidia", "lib64")]);

    [Fact]
    public void Places_come_in_the_documented_order()
    {
        var libs = Folder("mine");
        var home = Folder("toolkit");
        foreach (var version in new[] { "cuda", "cuda-12.4", "cuda-13.0", "cuda-12.10" }) Folder("usr", "local", version);
        var venv = Folder("venv");
        var cu13 = Folder("venv", "lib", "python3.12", "site-packages", "nvidia", "cu13", "lib");
        var cublas = Folder("venv", "lib", "python3.12", "site-packages", "nvidia", "cublas", "lib");
        var search = Search(new() { ["DESCENT_CUDA_LIBS"] = libs, ["CUDA_HOME"] = home, ["VIRTUAL_ENV"] = venv });

        var places = search.Places(NativeLibrarySpec.Cublas).ToList();

        string local = Path.Combine(_root, "usr", "local");
        Assert.Equal(
        [
            ("DESCENT_CUDA_LIBS", libs),
            ("CUDA_HOME", Path.Combine(home, "lib64")), ("CUDA_HOME", Path.Combine(home, "targets/x86_64-linux/lib")), ("CUDA_HOME", Path.Combine(home, "lib")),
            ($"{local}/cuda*", Path.Combine(local, "cuda", "lib64")), ($"{local}/cuda*", Path.Combine(local, "cuda", "targets/x86_64-linux/lib")),
            ($"{local}/cuda*", Path.Combine(local, "cuda-13.0", "lib64")), ($"{local}/cuda*", Path.Combine(local, "cuda-13.0", "targets/x86_64-linux/lib")),
            ($"{local}/cuda*", Path.Combine(local, "cuda-12.10", "lib64")), ($"{local}/cuda*", Path.Combine(local, "cuda-12.10", "targets/x86_64-linux/lib")),
            ($"{local}/cuda*", Path.Combine(local, "cuda-12.4", "lib64")), ($"{local}/cuda*", Path.Combine(local, "cuda-12.4", "targets/x86_64-linux/lib")),
            ("the loader's search (LD_LIBRARY_PATH, the ldconfig cache)", null),
            ("pip wheels", cu13), ("pip wheels", cublas),
        ], places.Select(p => (p.Source, p.Folder)).ToList());
    }

    [Fact]
    public void Only_the_driver_is_looked_for_in_the_driver_folders()
    {
        var search = Search([]);
        Assert.Contains(search.Places(NativeLibrarySpec.Driver), p => p.Source == "driver folders");
        Assert.DoesNotContain(search.Places(NativeLibrarySpec.Nvrtc), p => p.Source == "driver folders");
    }

    [Fact]
    public void A_python_on_the_path_counts_as_an_environment()
    {
        var bin = Folder("opt", "torch", ".venv", "bin");
        var lib = Folder("opt", "torch", ".venv", "lib", "python3.12", "site-packages", "nvidia", "cu13", "lib");
        var search = Search(new() { ["PATH"] = $"/nowhere{Path.PathSeparator}{bin}" });
        Assert.Contains(search.Places(NativeLibrarySpec.Nvrtc), p => p.Folder == lib && p.Source == "pip wheels");
    }

    [Fact]
    public void The_first_folder_that_holds_a_file_wins_and_newer_versions_come_first()
    {
        var first = Folder("first");
        var second = Folder("second");
        Touch(first, "libnvrtc.so.12");
        Touch(first, "libnvrtc.so.13");
        Touch(second, "libnvrtc.so.13");
        var loader = new FakeLoader();

        var loaded = LibraryLoader.Load(NativeLibrarySpec.Nvrtc, Search(new() { ["DESCENT_CUDA_LIBS"] = $"{first}{Path.PathSeparator}{second}" }), loader);

        Assert.Equal(Path.Combine(first, "libnvrtc.so.13"), loaded.Path);
        Assert.Equal("DESCENT_CUDA_LIBS", loaded.Source);
    }

    [Fact]
    public void A_library_found_in_a_folder_loads_its_companions_from_there_first()
    {
        var wheel = Folder("venv", "lib", "python3.12", "site-packages", "nvidia", "cu13", "lib");
        var lt = Touch(wheel, "libcublasLt.so.13");
        Touch(wheel, "libcublasLt.so.12"); // another major version is left alone
        var cublas = Touch(wheel, "libcublas.so.13");
        var loader = new FakeLoader();

        var loaded = LibraryLoader.Load(NativeLibrarySpec.Cublas, Search(new() { ["VIRTUAL_ENV"] = Path.Combine(_root, "venv") }), loader);

        Assert.Equal(cublas, loaded.Path);
        Assert.Equal("pip wheels", loaded.Source);
        Assert.Equal([lt, cublas], loader.Tried.Where(Path.IsPathRooted));
    }

    [Fact]
    public void A_file_that_does_not_load_is_skipped_and_the_search_goes_on()
    {
        var bad = Folder("bad");
        var good = Folder("good");
        var broken = Touch(bad, "libcuda.so.1");
        var fine = Touch(good, "libcuda.so.1");
        var loader = new FakeLoader(broken);

        var loaded = LibraryLoader.Load(NativeLibrarySpec.Driver, Search(new() { ["DESCENT_CUDA_LIBS"] = $"{bad}{Path.PathSeparator}{good}" }), loader);

        Assert.Equal(fine, loaded.Path);
        Assert.Equal([broken, fine], loader.Tried);
    }

    [Fact]
    public void When_nothing_loads_the_error_lists_every_place_tried_and_how_to_fix_it()
    {
        var libs = Folder("empty");
        var bad = Folder("bad");
        Touch(bad, "libcublas.so.12");
        var loader = new FakeLoader(Path.Combine(bad, "libcublas.so.12"));
        var search = Search(new() { ["DESCENT_CUDA_LIBS"] = $"{libs}{Path.PathSeparator}{bad}", ["HOME"] = Folder("home") });

        var e = Assert.Throws<InvalidOperationException>(() => LibraryLoader.Load(NativeLibrarySpec.Cublas, search, loader));

        Assert.StartsWith("CUDA: cannot load cuBLAS (libcublas.so.13 or libcublas.so.12). Tried, in order: ", e.Message);
        Assert.Contains("CUDA_HOME: not set", e.Message);
        Assert.Contains("CUDA_PATH: not set", e.Message);
        Assert.Contains($"{libs} (DESCENT_CUDA_LIBS): not there", e.Message);
        Assert.Contains($"{Path.Combine(bad, "libcublas.so.12")} (DESCENT_CUDA_LIBS): {Path.Combine(bad, "libcublas.so.12")}: invalid ELF header", e.Message);
        Assert.Contains("libcublas.so.13 by the loader's search: libcublas.so.13: cannot open shared object file", e.Message);
        Assert.Contains("libcublas.so.12 by the loader's search", e.Message);
        Assert.Contains("pip wheels: no nvidia/*/lib folder in the site-packages of", e.Message);
        Assert.Contains(Path.Combine(_root, "home", ".local"), e.Message);
        Assert.EndsWith("install the CUDA toolkit or pip's nvidia-cublas wheel, or set DESCENT_CUDA_LIBS to the folder that holds it.", e.Message);
    }

    [Fact]
    public void Nvrtc_11_is_a_last_resort_after_every_place_was_searched_for_a_newer_one()
    {
        var old = Folder("old");
        var wheel = Folder("venv", "lib", "python3.12", "site-packages", "nvidia", "cuda_nvrtc", "lib");
        Touch(old, "libnvrtc.so.11.2");
        var twelve = Touch(wheel, "libnvrtc.so.12");
        var loader = new FakeLoader();

        var loaded = LibraryLoader.Load(NativeLibrarySpec.Nvrtc,
            Search(new() { ["DESCENT_CUDA_LIBS"] = old, ["VIRTUAL_ENV"] = Path.Combine(_root, "venv") }), loader);

        Assert.Equal(twelve, loaded.Path);
        Assert.DoesNotContain(Path.Combine(old, "libnvrtc.so.11.2"), loader.Tried);
    }

    [Fact]
    public void A_library_of_a_newer_cuda_major_version_than_the_driver_is_skipped()
    {
        var libs = Folder("libs");
        Touch(libs, "libcublas.so.13");
        var twelve = Touch(libs, "libcublas.so.12");
        var loader = new FakeLoader();
        var search = Search(new() { ["DESCENT_CUDA_LIBS"] = libs });

        Assert.Equal(twelve, LibraryLoader.Load(NativeLibrarySpec.Cublas, search, loader, newestMajor: 12).Path);
        Assert.DoesNotContain(Path.Combine(libs, "libcublas.so.13"), loader.Tried);
        Assert.Equal(Path.Combine(libs, "libcublas.so.13"), LibraryLoader.Load(NativeLibrarySpec.Cublas, search, new FakeLoader(), newestMajor: 13).Path);

        File.Delete(twelve);
        var e = Assert.Throws<InvalidOperationException>(() => LibraryLoader.Load(NativeLibrarySpec.Cublas, search, new FakeLoader(), newestMajor: 12));
        Assert.Contains("libcublas.so.13: skipped, newer than the driver's CUDA 12", e.Message);
    }

    [Theory]
    [InlineData("libcublas.so.13", "13")]
    [InlineData("libnvrtc.so.12", "12")]
    [InlineData("libnvrtc.so.11.2", "11")]
    public void Companions_match_the_major_version(string file, string major) => Assert.Equal(major, NativeLibrarySpec.Major(file));
}
