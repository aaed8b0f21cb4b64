using Descent.Cuda.Native;

namespace Descent.Cuda.Kernels;

/// <summary>A compiled kernel binary: CUBIN for the device's own architecture, or PTX that the driver finishes.</summary>
internal sealed record KernelImage(byte[] Bytes, bool IsCubin, string Key);

/// <summary>
/// Compiles generated kernels with NVRTC for one architecture, through the <see cref="KernelCache"/>. It targets the
/// device's exact architecture (sm_90 on Hopper) and asks for CUBIN, which the driver loads without a second
/// compile and without caring how new the NVRTC is. If this NVRTC does not know the device's architecture (a GPU
/// newer than the library), it emits PTX for the newest architecture it knows, which the driver compiles on load.
/// No fast-math and no contraction: results must be the IEEE ones the CPU gives.
/// </summary>
internal sealed class KernelCompiler
{
    private readonly KernelCache _cache;
    private readonly string[] _options;

    public KernelCompiler(int architecture, string nvrtcVersion, int[] supportedArchitectures, KernelCache cache)
    {
        _cache = cache;
        NvrtcVersion = nvrtcVersion;
        (Target, IsCubin) = ChooseTarget(architecture, supportedArchitectures);
        // No contraction: a * b + c rounds twice, as on the CPU, so element-wise kernels give the CPU's bits. Kernels
        // that want fused multiply-adds (the convolution's inner product) call fma themselves.
        _options = [$"--gpu-architecture={Target}", "--fmad=false"];
    }

    /// <summary>sm_90 (CUBIN) or compute_XX (PTX).</summary>
    public string Target { get; }

    public bool IsCubin { get; }

    public string NvrtcVersion { get; }

    public IReadOnlyList<string> Options => _options;

    /// <summary>The target for a device of <paramref name="architecture"/> (90 for sm_90) given what NVRTC supports.</summary>
    public static (string Target, bool Cubin) ChooseTarget(int architecture, int[] supported)
    {
        if (supported.Contains(architecture)) return ($"sm_{architecture}", true);
        var older = supported.Where(a => a <= architecture).ToArray();
        if (older.Length == 0)
            throw new CudaException($"CUDA: this NVRTC compiles for sm_{string.Join(", sm_", supported)}, none of which runs on this GPU (sm_{architecture}); install an NVRTC that knows it.");
        return ($"compute_{older.Max()}", false);
    }

    /// <summary>The binary for <paramref name="spec"/>, from the disk cache or freshly compiled (and then cached).</summary>
    public KernelImage Compile(KernelSpec spec)
    {
        string source = spec.Source;
        string key = KernelCache.Key(source, Target, NvrtcVersion, _options);
        string extension = IsCubin ? ".cubin" : ".ptx";
        if (_cache.TryRead(key, extension) is { } cached) return new KernelImage(cached, IsCubin, key);
        var image = Nvrtc.Compile(source, spec.Name, _options, IsCubin);
        _cache.Write(key, extension, image);
        return new KernelImage(image, IsCubin, key);
    }

    /// <summary>Drops a cached binary the driver could not load.</summary>
    public void Forget(KernelImage image) => _cache.Remove(image.Key, image.IsCubin ? ".cubin" : ".ptx");
}
