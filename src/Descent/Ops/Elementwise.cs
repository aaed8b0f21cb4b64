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
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a.CheckSameDType(name, b);
        var shape = ShapeUtil.Broadcast(name, a.Dims, b.Dims);
        var y = Empty((int[])shape.Clone(), a.DType, a.Backend);
        a.Backend.Binary(op, a.Storage, a.Layout.BroadcastTo(shape), b.Storage, b.Layout.BroadcastTo(shape), y.Storage);
        return y;
    }

    /// <summary>Sums a broadcast gradient back down to <paramref name="shape"/>: the backward of broadcasting.</summary>
    internal static Tensor SumTo(Tensor g, int[] shape)
    {
        if (ShapeUtil.SameShape(g.Dims, shape)) return g;
        int lead = g.Rank - shape.Length;
        var axes = new List<int>();
        for (int i = 0; i < g.Rank; i++)
            if (i < lead || (shape[i - lead] == 1 && g.Dims[i] != 1)) axes.Add(i);
        var summed = axes.Count == 0 ? g : g.Sum(axes.ToArray(), keepDims: true);
        return summed.Reshape(shape);
    }

    /// <summary>A scalar of this tensor's dtype, for mixing with C# numbers.</summary>
    internal Tensor Like(double value) => Scalar(value, DType);
}
