using System.Reflection;
using System.Runtime.InteropServices;

namespace Descent.Cuda.Native;

/// <summary>
/// The three NVIDIA libraries this assembly calls, loaded once on first use. The P/Invoke declarations name them
/// by the logical names below; the resolver installed by <see cref="InstallResolver"/> hands over the handles found
/// by <see cref="LibraryLoader"/>, so no library is looked for by the runtime's default probing.
/// </summary>
internal static class CudaLibraries
{
    public const string DriverName = "descent-cuda-driver";
    public const string NvrtcName = "descent-cuda-nvrtc";
    public const string CublasName = "descent-cuda-cublas";

    private static readonly Lazy<LoadedLibrary> LazyDriver = new(() => Load(NativeLibrarySpec.Driver));
    private static readonly Lazy<LoadedLibrary> LazyNvrtc = new(() => Load(NativeLibrarySpec.Nvrtc, DriverMajor()));
    private static readonly Lazy<LoadedLibrary> LazyCublas = new(() => Load(NativeLibrarySpec.Cublas, DriverMajor()));

    /// <summary>libcuda, or an exception listing every place tried.</summary>
    public static LoadedLibrary Driver => LazyDriver.Value;

    /// <summary>libnvrtc, or an exception listing every place tried.</summary>
    public static LoadedLibrary Nvrtc => LazyNvrtc.Value;

    /// <summary>libcublas, or an exception listing every place tried.</summary>
    public static LoadedLibrary Cublas => LazyCublas.Value;

    private static LoadedLibrary Load(NativeLibrarySpec spec, int? newestMajor = null) =>
        LibraryLoader.Load(spec, LibrarySearch.FromEnvironment(), SystemLoader.Instance, newestMajor);

    /// <summary>The CUDA major version the driver supports (12 for 12080), or null where there is no driver (NVRTC alone still compiles).</summary>
    private static int? DriverMajor()
    {
        try
        {
            _ = Driver;
            return Native.Driver.cuDriverGetVersion(out int version) == 0 && version > 0 ? version / 1000 : null;
        }
        catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static int _installed;

    /// <summary>Routes this assembly's P/Invokes to the libraries found here; called by the module initializer.</summary>
    public static void InstallResolver()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(CudaLibraries).Assembly, Resolve);
    }

    // Lazy<T> caches a loading exception and rethrows it; the caller (CudaBackend.Open) touches each library first,
    // so that its message, not the runtime's generic one, is what a user sees.
    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name switch
    {
        DriverName => Driver.Handle,
        NvrtcName => Nvrtc.Handle,
        CublasName => Cublas.Handle,
        _ => 0,
    };
}
