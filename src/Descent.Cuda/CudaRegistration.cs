using System.Runtime.CompilerServices;
using Descent.Cuda.Backend;
using Descent.Cuda.Native;

namespace Descent.Cuda;

/// <summary>
/// Makes "cuda" a device kind as soon as this assembly is loaded: <see cref="Device.Cuda"/> (or Device.Parse("cuda:1"))
/// loads it by name and runs this initializer, so the core never references this package.
/// </summary>
internal static class CudaRegistration
{
    // A library's module initializer is exactly the point here: the core loads this assembly by name to register it.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        CudaLibraries.InstallResolver();
        Device.Register("cuda", CudaBackend.Open);
    }
}
