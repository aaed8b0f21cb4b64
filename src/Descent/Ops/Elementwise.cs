using Descent.Backends;

namespace Descent;

// The raw forward helpers the elementwise ops share: allocate the output, broadcast, call one kernel.
public partial class Tensor
{
    internal Tensor UnaryRaw(UnaryOp op)
    {
        var y = Empty(Dims, DType, Backend);
        Backend.Unary(op, Storage, Layout, y.Storage);
        return y;
    }

    internal static Tensor BinaryRaw(string name, BinaryOp op, Tensor a, Tensor b)
    {
        var (shape, la, lb) = BroadcastPair(name, a, b);
        var y = Empty(shape, a.DType, a.Backend);
        a.Backend.Binary(op, a.Storage, la, b.Storage, lb, y.Storage);
        return y;
    }

    /// <summary>Checks two operands of an elementwise op and broadcasts their layouts to the common shape.</summary>
    internal static (int[] Shape, Layout A, Layout B) BroadcastPair(string name, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a.CheckSameDType(name, b);
        a.CheckSameDevice(name, b);
        var shape = ShapeUtil.Broadcast(name, a.Dims, b.Dims);
        return (shape, a.Layout.BroadcastTo(shape), b.Layout.BroadcastTo(shape));
    }

    /// <summary>Sums a broadcast gradient back down to <paramref name="shape"/>: the backward of broadcasting.</summary>
    internal static Tensor SumTo(Tensor g, int[] shape)
    {
        if (ShapeUtil.SameShape(g.Dims, shape)) return g;
        int lead = g.Rank - shape.Length, count = 0;
        bool keeps = false;
        Span<int> found = stackalloc int[g.Rank];
        for (int i = 0; i < g.Rank; i++)
        {
            if (i < lead) found[count++] = i;
            else if (shape[i - lead] == 1 && g.Dims[i] != 1)
            {
                found[count++] = i;
                keeps = true;
            }
        }
        // Only leading axes to drop: one reduction gives the shape directly (a bias gradient, a scalar's).
        if (!keeps) return g.Sum(found[..count].ToArray());
        var summed = count == 0 ? g : g.Sum(found[..count].ToArray(), keepDims: true);
        return summed.Reshape(shape);
    }

    [ThreadStatic] private static Dictionary<(IBackend, DType, double), Tensor>? _constants;

    /// <summary>
    /// A scalar of this tensor's dtype on its device, for mixing with C# numbers. Tensors are immutable, so the
    /// few constants an inner loop uses (2, a learning rate, 0 for masks) are made once per thread and device.
    /// </summary>
    internal Tensor Like(double value)
    {
        var cache = _constants ??= [];
        var key = (Backend, DType, value);
        if (cache.TryGetValue(key, out var t)) return t;
        t = Scalar(value, DType, Device);
        if (cache.Count < 256) cache[key] = t;
        return t;
    }
}
