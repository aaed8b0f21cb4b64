using System.Buffers.Binary;
using Descent.Cuda.Kernels;

namespace Descent.Cuda.Backend;

/// <summary>
/// The arguments of one launch, written in order into a buffer laid out as the kernel's parameters are (each at its
/// natural alignment), with the kind of each, so <see cref="CheckAgainst"/> can compare them with the kernel's
/// declared parameters before anything reaches the driver. One instance per thread is reused, so a launch allocates
/// nothing; it also holds the storages whose pointers it carries, so none is finalized before its kernel is queued.
/// </summary>
internal sealed class KernelArgs
{
    [ThreadStatic] private static KernelArgs? t_args;

    private byte[] _buffer = new byte[1024];
    private readonly List<int> _offsets = [];
    private readonly List<(ParamKind Kind, int Rank)> _kinds = [];
    private readonly List<object> _alive = [];
    private int _length;

    /// <summary>This thread's builder, emptied.</summary>
    public static KernelArgs Start()
    {
        var args = t_args ??= new KernelArgs();
        args.Clear();
        return args;
    }

    public int Count => _kinds.Count;

    public ReadOnlySpan<byte> Buffer => _buffer.AsSpan(0, _length);

    /// <summary>The byte offset of argument <paramref name="index"/> in <see cref="Buffer"/>.</summary>
    public int OffsetOf(int index) => _offsets[index];

    public (ParamKind Kind, int Rank) KindOf(int index) => _kinds[index];

    public KernelArgs Int(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(Reserve(ParamKind.Int32, 0, 4, 4), value);
        return this;
    }

    public KernelArgs Long(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(Reserve(ParamKind.Int64, 0, 8, 8), value);
        return this;
    }

    public KernelArgs Float(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(ParamKind.Float32, 0, 4, 4), value);
        return this;
    }

    public KernelArgs Double(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(Reserve(ParamKind.Float64, 0, 8, 8), value);
        return this;
    }

    /// <summary>A device pointer; 0 for an absent optional buffer.</summary>
    public KernelArgs Pointer(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Reserve(ParamKind.Pointer, 0, 8, 8), value);
        return this;
    }

    /// <summary>The storage's base address; the storage is kept alive until the launch is queued.</summary>
    public KernelArgs Pointer(CudaStorage? storage)
    {
        if (storage is not null) _alive.Add(storage);
        return Pointer(storage?.Pointer ?? 0);
    }

    /// <summary>A scalar of the dtype's C type (bool as an int), as <see cref="KernelParam.Scalar"/> declares it.</summary>
    public KernelArgs Scalar(DType dtype, double value) => dtype switch
    {
        DType.Float32 => Float((float)value),
        DType.Float64 => Double(value),
        DType.Int64 => Long(checked((long)value)),
        DType.Int32 => Int(checked((int)value)),
        _ => Int(value != 0 ? 1 : 0),
    };

    /// <summary>A Lay&lt;R&gt;: offset, then the extents, then the strides.</summary>
    public KernelArgs Layout(Strided layout)
    {
        int rank = layout.Rank;
        var b = Reserve(ParamKind.Layout, rank, 4 * (1 + 2 * rank), 4);
        BinaryPrimitives.WriteInt32LittleEndian(b, layout.Offset);
        for (int a = 0; a < rank; a++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(b[(4 + 4 * a)..], layout.Dims[a]);
            BinaryPrimitives.WriteInt32LittleEndian(b[(4 + 4 * (rank + a))..], layout.Strides[a]);
        }
        return this;
    }

    /// <summary>Throws unless the arguments are exactly the kernel's parameters, in number, kind and layout rank.</summary>
    public void CheckAgainst(KernelSpec kernel, string op)
    {
        bool same = _kinds.Count == kernel.Params.Count;
        for (int i = 0; same && i < _kinds.Count; i++)
            same = _kinds[i].Kind == kernel.Params[i].Kind && (_kinds[i].Kind != ParamKind.Layout || _kinds[i].Rank == kernel.Params[i].Rank);
        if (!same)
            throw new InvalidOperationException(
                $"{op}: kernel {kernel.Name} takes ({string.Join(", ", kernel.Params.Select(p => p.Kind == ParamKind.Layout ? $"Layout{p.Rank}" : p.Kind.ToString()))}) " +
                $"but was given ({string.Join(", ", _kinds.Select(k => k.Kind == ParamKind.Layout ? $"Layout{k.Rank}" : k.Kind.ToString()))}); this is a bug in Descent.Cuda.");
    }

    /// <summary>Keeps <paramref name="value"/> reachable until the launch is queued.</summary>
    public void KeepAlive(object value) => _alive.Add(value);

    public void Clear()
    {
        _offsets.Clear();
        _kinds.Clear();
        _alive.Clear();
        _length = 0;
    }

    private Span<byte> Reserve(ParamKind kind, int rank, int size, int align)
    {
        int offset = (_length + align - 1) / align * align;
        if (offset + size > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, offset + size));
        _offsets.Add(offset);
        _kinds.Add((kind, rank));
        _length = offset + size;
        return _buffer.AsSpan(offset, size);
    }
}
