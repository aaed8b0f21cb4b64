using Descent.Backends;

namespace Descent;

/// <summary>
/// An n-dimensional array: storage on a device, a <see cref="Layout"/> over it, and a dtype.
/// Tensors are immutable values (a <see cref="Variable"/> is the mutable kind) and are garbage-collected;
/// nobody calls Dispose. Ops live in the partial files under Ops/, each beside its gradient.
/// </summary>
public partial class Tensor
{
    private static long _nextIdBlock;
    [ThreadStatic] private static long _threadNextId, _threadIdLimit;

    /// <summary>Identifies the tensor on a tape; never reused.</summary>
    internal readonly long Id = NextId();

    // Each thread takes ids in blocks, so making a tensor costs no interlocked operation.
    private static long NextId()
    {
        if (_threadNextId == _threadIdLimit)
        {
            const long Block = 1 << 16;
            _threadIdLimit = Interlocked.Add(ref _nextIdBlock, Block);
            _threadNextId = _threadIdLimit - Block;
        }
        return ++_threadNextId;
    }

    // Settable only so that a Variable can move to another device in place (Variable.MoveTo).
    internal Storage Storage { get; private protected set; }

    /// <summary>Shape, strides and offset over the storage.</summary>
    public Layout Layout { get; }

    internal Tensor(Storage storage, Layout layout)
    {
        Storage = storage;
        Layout = layout;
    }

    /// <summary>The element type.</summary>
    public DType DType => Storage.DType;

    /// <summary>The extent of each axis.</summary>
    public IReadOnlyList<int> Shape => Layout.Dims;

    /// <summary>The number of axes (0 for a scalar).</summary>
    public int Rank => Layout.Rank;

    /// <summary>The number of elements.</summary>
    public int Size => Layout.Size;

    /// <summary>The backend whose kernels hold this tensor's data.</summary>
    public IBackend Backend => Storage.Backend;

    /// <summary>The device holding this tensor's data; ops on it run there and return tensors there.</summary>
    public Device Device => Storage.Backend.Device;

    internal int[] Dims => Layout.Dims;

    /// <summary>A fresh contiguous tensor of <paramref name="shape"/>, uninitialised unless <paramref name="zeroed"/>.</summary>
    internal static Tensor Empty(int[] shape, DType dtype, IBackend? backend = null, bool zeroed = false)
    {
        var b = backend ?? Device.Default.Backend;
        return new Tensor(b.Allocate(dtype, ShapeUtil.SizeOf(shape), zeroed), Layout.Contiguous(shape));
    }

    /// <summary>This tensor if its data is already row-major without gaps, else a packed copy (which records a gradient).</summary>
    public Tensor Contiguous()
    {
        if (Layout.IsContiguous) return this;
        var y = Empty(Dims, DType, Backend);
        Backend.Copy(Storage, Layout, y.Storage, y.Layout);
        return GradientTape.Record(y, this, static (g, _) => g);
    }

    /// <summary>The elements in row-major order, converted to <typeparamref name="T"/> when the dtype differs.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var dtype = DTypes.Of<T>();
        var source = (dtype == DType ? this : CastRaw(dtype)).ContiguousRaw();
        var result = new T[Size];
        source.Backend.Download<T>(source.Storage, source.Layout.Offset, result);
        Downloads++;
        return result;
    }

    /// <summary>How many times this thread has read a tensor back to the host (ToArray, Item, a move): a test's probe.</summary>
    [ThreadStatic] internal static long Downloads;

    /// <summary>A fresh copy on the same device (a gradient passes through unchanged), as torch.clone.</summary>
    public Tensor Clone()
    {
        var y = Empty(Dims, DType, Backend);
        Backend.Copy(Storage, Layout, y.Storage, y.Layout);
        return GradientTape.Record(y, this, static (g, _) => g);
    }

    /// <summary>A copy on <paramref name="device"/> (this tensor when it is already there). Gradients flow back across.</summary>
    public Tensor To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device == Device) return this;
        var y = Transfer(device);
        var from = Device;
        return GradientTape.Record(y, this, (g, _) => g.To(from));
    }

    // Devices share no memory in general, so a move goes through the host: download, then upload.
    private protected Tensor Transfer(Device device)
    {
        var source = ContiguousRaw();
        var y = Empty(Dims, DType, device.Backend);
        switch (DType)
        {
            case DType.Float32: Move<float>(source, y); break;
            case DType.Float64: Move<double>(source, y); break;
            case DType.Int32: Move<int>(source, y); break;
            case DType.Int64: Move<long>(source, y); break;
            default: Move<bool>(source, y); break;
        }
        return y;

        static void Move<T>(Tensor source, Tensor y) where T : unmanaged
        {
            var host = new T[source.Size];
            source.Backend.Download<T>(source.Storage, source.Layout.Offset, host);
            Downloads++;
            y.Backend.Upload<T>(host, y.Storage);
        }
    }

    /// <summary>Throws when <paramref name="other"/> lives on another device: ops never move data implicitly.</summary>
    internal void CheckSameDevice(string op, Tensor other)
    {
        if (!ReferenceEquals(other.Storage.Backend, Storage.Backend))
            throw new ArgumentException($"{op}: operands are on {Device} and {other.Device}; move one with .To(...).");
    }

    // Row-major without gaps, possibly at an offset; unlike Contiguous() it records nothing on a tape.
    internal Tensor ContiguousRaw()
    {
        if (Layout.IsContiguous) return this;
        var y = Empty(Dims, DType, Backend);
        Backend.Copy(Storage, Layout, y.Storage, y.Layout);
        return y;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public T Item<T>() where T : unmanaged
    {
        if (Size != 1) throw new InvalidOperationException($"Item: the tensor has shape {ShapeUtil.Format(Dims)}, not a single element.");
        return ToArray<T>()[0];
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="other"/> has a different dtype.</summary>
    internal void CheckSameDType(string op, Tensor other)
    {
        if (other.DType != DType)
            throw new ArgumentException($"{op}: dtypes differ: {DType.Name()} and {other.DType.Name()}; use Cast to convert one of them.");
    }

    internal void CheckFloat(string op)
    {
        if (!DType.IsFloat())
            throw new ArgumentException($"{op}: expects a float32 or float64 tensor, got {DType.Name()}; use Cast first.");
    }

    /// <summary>Throws when any element is NaN or infinite, naming <paramref name="message"/>.</summary>
    public Tensor CheckNumerics(string message)
    {
        if (!DType.IsFloat()) return this;
        var values = ToArray<double>();
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArithmeticException($"CheckNumerics: {message}: found {values[i]} at flat index {i} of a tensor with shape {ShapeUtil.Format(Dims)}.");
        return this;
    }
}
