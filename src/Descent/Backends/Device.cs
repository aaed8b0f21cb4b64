using System.Reflection;
using System.Runtime.CompilerServices;
using Descent.Backends;
using Descent.Backends.Cpu;
using Descent.Backends.Reference;

namespace Descent;

/// <summary>
/// Where a tensor's data lives and its kernels run: <see cref="Cpu"/>, <see cref="Reference"/> (plain scalar
/// loops, for checking a model or a new backend), or <see cref="Cuda"/> when the Descent.Cuda package is
/// referenced. Creators use <see cref="Default"/>, which <see cref="Use"/> changes for a scope, as
/// <c>tf.device</c> and <c>torch.set_default_device</c> do. Ops keep their operands' device.
/// </summary>
public sealed class Device
{
    private static readonly Dictionary<string, Func<int, IBackend>> Factories = new(StringComparer.Ordinal);
    private static readonly Dictionary<(string, int), Device> Opened = [];
    private static readonly AsyncLocal<Device?> Ambient = new();

    /// <summary>Made by a backend for itself; users get devices from <see cref="Cpu"/>, <see cref="Cuda"/> or <see cref="Parse"/>.</summary>
    public Device(string kind, int ordinal, IBackend backend)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(backend);
        Kind = kind;
        Ordinal = ordinal;
        Backend = backend;
    }

    /// <summary>The kind of device: "cpu", "reference", "cuda".</summary>
    public string Kind { get; }

    /// <summary>Which device of its kind (0 for the first GPU; always 0 for the CPU).</summary>
    public int Ordinal { get; }

    /// <summary>The kernels that run on this device.</summary>
    public IBackend Backend { get; }

    /// <summary>
    /// What this device's allocator holds now: bytes allocated to tensors, reserved (allocated plus cached for
    /// reuse) and the peak allocated since <see cref="ResetPeakMemory"/>, as <c>torch.cuda.memory_allocated</c>,
    /// <c>memory_reserved</c> and <c>max_memory_allocated</c>. A dead tensor's buffer counts as allocated until the
    /// garbage collector finalizes it, which the allocator itself prompts when it runs short. Each backend's
    /// remarks say which buffers it counts.
    /// </summary>
    public MemoryStats Memory => Backend.Memory;

    /// <summary>Starts <see cref="MemoryStats.PeakAllocatedBytes"/> again from the bytes allocated now, as <c>torch.cuda.reset_peak_memory_stats</c>.</summary>
    public void ResetPeakMemory() => Backend.ResetPeakMemory();

    /// <summary>The managed CPU device: SIMD kernels on all cores.</summary>
    public static Device Cpu => CpuBackend.Instance.Device;

    /// <summary>
    /// The reference device: plain scalar loops accumulating in float64, slow and obviously correct; for debugging
    /// a model or checking a new backend.
    /// </summary>
    public static Device Reference => ReferenceBackend.Instance.Device;

    /// <summary>NVIDIA GPU number <paramref name="ordinal"/>; throws, saying what was looked for, when there is none.</summary>
    public static Device Cuda(int ordinal = 0) => Get("cuda", ordinal);

    /// <summary>The device creators use when none is named: the innermost <see cref="Use"/> scope's, else the CPU.</summary>
    public static Device Default => Ambient.Value ?? Cpu;

    /// <summary>Makes <paramref name="device"/> the default for creators until the returned scope is disposed.</summary>
    public static IDisposable Use(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var previous = Ambient.Value;
        Ambient.Value = device;
        return new Scope(previous);
    }

    /// <summary>Parses "cpu", "reference", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().ToLowerInvariant().Split(':');
        int ordinal = 0;
        if (parts.Length > 2 || (parts.Length == 2 && (!int.TryParse(parts[1], out ordinal) || ordinal < 0)))
            throw new ArgumentException($"Device: cannot read \"{text}\"; expected cpu, reference, cuda or cuda:N.");
        return Get(parts[0], ordinal);
    }

    /// <summary>Lets a backend package make its devices: <paramref name="factory"/>(ordinal) opens one.</summary>
    public static void Register(string kind, Func<int, IBackend> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Factories) Factories[kind] = factory;
    }

    private static Device Get(string kind, int ordinal)
    {
        if (ordinal < 0) throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"Device: {kind} ordinal must be non-negative.");
        switch (kind)
        {
            case "cpu" when ordinal == 0: return Cpu;
            case "reference" when ordinal == 0: return Reference;
            case "cpu" or "reference": throw new ArgumentException($"Device: there is only one {kind} device, {kind}; got {kind}:{ordinal}.");
        }
        lock (Factories)
        {
            if (Opened.TryGetValue((kind, ordinal), out var open)) return open;
            if (!Factories.ContainsKey(kind)) LoadPlugin(kind);
            if (!Factories.TryGetValue(kind, out var factory))
                throw new InvalidOperationException($"Device: no backend for \"{kind}\" is registered; known kinds: cpu, reference{string.Concat(Factories.Keys.Select(k => ", " + k))}.");
            var device = factory(ordinal).Device;
            Opened[(kind, ordinal)] = device;
            return device;
        }
    }

    // A backend package registers itself from its module initializer; loading the assembly by name runs it,
    // so the core never references the package.
    private static void LoadPlugin(string kind)
    {
        string name = "Descent." + char.ToUpperInvariant(kind[0]) + kind[1..];
        Assembly assembly;
        try { assembly = Assembly.Load(new AssemblyName(name)); }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new InvalidOperationException(
                $"Device.{char.ToUpperInvariant(kind[0]) + kind[1..]}: no {kind} backend: looked for the assembly {name}.dll beside the program " +
                $"({AppContext.BaseDirectory}) and found none; add the {name} package to the program.", e);
        }
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
    }

    /// <summary>"cpu", "reference", "cuda:0".</summary>
    public override string ToString() => Kind is "cpu" or "reference" ? Kind : $"{Kind}:{Ordinal}";

    private sealed class Scope(Device? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Ambient.Value = previous;
        }
    }
}
