using Descent.Cuda.Backend;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Tests;

/// <summary>
/// A GPU that keeps its memory in host arrays and only records kernel launches and GEMMs (it runs no kernel). Copies,
/// memsets, uploads and downloads really move bytes, so a primitive that is only a copy gives real values, and every
/// launch goes through <see cref="KernelArgs.CheckAgainst"/>, as on the real device.
/// </summary>
internal sealed class FakeGpu(long capacity = 1L << 30) : IGpu
{
    private readonly SortedDictionary<ulong, byte[]> _blocks = [];
    private ulong _next = 0x1000_0000;

    public record Launched(string Name, (uint X, uint Y, uint Z) Grid, uint Block, uint Shared, byte[] Args, string Op);

    public List<Launched> Launches { get; } = [];
    public List<GemmCall> Gemms { get; } = [];
    public List<KernelSpec> Loaded { get; } = [];
    public int Frees { get; private set; }
    public int Synchronizations { get; private set; }
    public long Used { get; private set; }

    public string Description => "fake GPU";
    public int Architecture => 90;
    public int Multiprocessors => 4;
    public nint Stream => 7;

    public void MakeCurrent() { }

    public ulong TryAllocate(long bytes)
    {
        lock (_blocks)
        {
            if (Used + bytes > capacity) return 0;
            ulong pointer = _next;
            _next += (ulong)((bytes + 255) / 256 * 256 + 256);
            _blocks[pointer] = new byte[bytes];
            Used += bytes;
            return pointer;
        }
    }

    public void Free(ulong pointer)
    {
        lock (_blocks)
        {
            Used -= _blocks[pointer].Length;
            _blocks.Remove(pointer);
            Frees++;
        }
    }

    public void Synchronize(string op) => Synchronizations++;

    public (long Free, long Total) Info() => (capacity - Used, capacity);

    /// <summary>The block holding <paramref name="pointer"/> and the offset into it.</summary>
    public (byte[] Block, int Offset) Find(ulong pointer)
    {
        lock (_blocks)
            foreach (var (start, block) in _blocks)
                if (pointer >= start && pointer < start + (ulong)Math.Max(block.Length, 1))
                    return (block, (int)(pointer - start));
        throw new InvalidOperationException($"fake GPU: address {pointer:x} is in no allocated block");
    }

    public void Upload(ulong destination, ReadOnlySpan<byte> source, string op)
    {
        if (source.IsEmpty) return;
        var (block, offset) = Find(destination);
        source.CopyTo(block.AsSpan(offset));
    }

    public void Download(ulong source, Span<byte> destination, string op)
    {
        Synchronizations++;
        if (destination.IsEmpty) return;
        var (block, offset) = Find(source);
        block.AsSpan(offset, destination.Length).CopyTo(destination);
    }

    public void CopyDevice(ulong destination, ulong source, long bytes, string op)
    {
        if (bytes == 0) return;
        var (from, i) = Find(source);
        var (to, j) = Find(destination);
        Array.Copy(from, i, to, j, bytes);
    }

    public void Memset(ulong destination, byte value, long bytes, string op)
    {
        if (bytes == 0) return;
        var (block, offset) = Find(destination);
        block.AsSpan(offset, (int)bytes).Fill(value);
    }

    public LoadedKernel Load(KernelSpec spec)
    {
        Loaded.Add(spec);
        return new LoadedKernel(spec, 0);
    }

    public void Launch(LoadedKernel kernel, (uint X, uint Y, uint Z) grid, uint block, uint sharedBytes, KernelArgs args, string op)
    {
        args.CheckAgainst(kernel.Spec, op);
        Assert.True(grid.X >= 1 && grid.Y >= 1 && grid.Z >= 1 && grid.Y <= 65535 && grid.Z <= 65535, $"{kernel.Spec.Name}: grid {grid}");
        Assert.InRange(block, 1u, 1024u);
        // Every pointer argument is an address the device handed out (or 0 for an absent optional buffer).
        for (int i = 0; i < args.Count; i++)
            if (args.KindOf(i).Kind == ParamKind.Pointer)
            {
                ulong pointer = BitConverter.ToUInt64(args.Buffer[args.OffsetOf(i)..]);
                if (pointer != 0) Find(pointer);
            }
        Launches.Add(new(kernel.Spec.Name, grid, block, sharedBytes, args.Buffer.ToArray(), op));
    }

    public void Gemm(in GemmCall call, string op) => Gemms.Add(call);
}
