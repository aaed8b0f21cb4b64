using Descent.Cuda.Kernels;

namespace Descent.Cuda.Tests;

/// <summary>The disk cache of compiled kernels: what its keys depend on, where it lives, and that it never fails a run.</summary>
public class KernelCacheTests
{
    private const string Source = "extern \"C\" __global__ void k(int n) {}";

    [Fact]
    public void A_key_depends_on_the_source_the_architecture_the_nvrtc_version_and_the_options()
    {
        string key = KernelCache.Key(Source, "sm_90", "13.0", ["--gpu-architecture=sm_90"]);
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, KernelCache.Key(Source, "sm_90", "13.0", ["--gpu-architecture=sm_90"]));
        Assert.NotEqual(key, KernelCache.Key(Source + " ", "sm_90", "13.0", ["--gpu-architecture=sm_90"]));
        Assert.NotEqual(key, KernelCache.Key(Source, "sm_80", "13.0", ["--gpu-architecture=sm_90"]));
        Assert.NotEqual(key, KernelCache.Key(Source, "sm_90", "12.8", ["--gpu-architecture=sm_90"]));
        Assert.NotEqual(key, KernelCache.Key(Source, "sm_90", "13.0", ["--gpu-architecture=sm_90", "-lineinfo"]));
    }

    [Theory]
    [InlineData("/var/cache/k", null, "/home/u", "/var/cache/k")]
    [InlineData(null, "/xdg", "/home/u", "/xdg/descent/cuda")]
    [InlineData(null, null, "/home/u", "/home/u/.cache/descent/cuda")]
    [InlineData("off", "/xdg", "/home/u", null)]
    [InlineData("OFF", null, null, null)]
    public void The_folder_comes_from_the_environment(string? configured, string? xdg, string? home, string? folder)
    {
        var environment = new Dictionary<string, string?> { ["DESCENT_CUDA_CACHE"] = configured, ["XDG_CACHE_HOME"] = xdg, ["HOME"] = home };
        Assert.Equal(folder, KernelCache.DefaultFolder(n => environment.GetValueOrDefault(n)));
    }

    [Fact]
    public void Entries_are_written_whole_read_back_and_removed()
    {
        var folder = Path.Combine(Directory.CreateTempSubdirectory("descent-cuda-cache-").FullName, "nested");
        try
        {
            var cache = new KernelCache(folder);
            Assert.Null(cache.TryRead("abc", ".cubin"));
            cache.Write("abc", ".cubin", [1, 2, 3]);
            Assert.Equal(new byte[] { 1, 2, 3 }, cache.TryRead("abc", ".cubin"));
            Assert.Equal(["abc.cubin"], Directory.GetFiles(folder).Select(Path.GetFileName)); // no temporary file left
            Assert.Null(cache.TryRead("abc", ".ptx"));
            cache.Remove("abc", ".cubin");
            Assert.Null(cache.TryRead("abc", ".cubin"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public void A_cache_that_cannot_be_written_is_skipped_not_an_error()
    {
        var file = Path.GetTempFileName(); // a file where the folder should be
        try
        {
            var cache = new KernelCache(Path.Combine(file, "cuda"));
            cache.Write("abc", ".cubin", [1]);
            Assert.Null(cache.TryRead("abc", ".cubin"));
            Assert.Null(new KernelCache(null).TryRead("abc", ".cubin"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(90, new[] { 75, 80, 86, 89, 90 }, "sm_90", true)]
    [InlineData(100, new[] { 75, 80, 86, 89, 90 }, "compute_90", false)]   // a GPU newer than the NVRTC: PTX the driver finishes
    public void The_target_is_the_devices_own_architecture_when_nvrtc_knows_it(int architecture, int[] supported, string target, bool cubin) =>
        Assert.Equal((target, cubin), KernelCompiler.ChooseTarget(architecture, supported));

    [Fact]
    public void A_gpu_older_than_every_architecture_nvrtc_knows_is_refused()
    {
        var e = Assert.Throws<CudaException>(() => KernelCompiler.ChooseTarget(60, [75, 80, 90]));
        Assert.Contains("none of which runs on this GPU (sm_60)", e.Message);
    }
}
