namespace Descent.Backends.Reference;

// Copies between layouts, and gather / scatter-add along an axis.
internal sealed partial class ReferenceBackend
{
    public void Copy(Storage src, Layout srcLayout, Storage dst, Layout dstLayout)
    {
        var (input, output) = (Own(src, "Copy"), Own(dst, "Copy"));
        Expect("Copy", src.DType, dst);
        for (int i = 0; i < srcLayout.Size; i++) input.CopyTo(At(srcLayout, i), output, At(dstLayout, i));
    }

    public void Gather(Storage x, Layout xLayout, int axis, Storage indices, Layout indicesLayout, Storage y)
    {
        var (input, picks, output) = (Own(x, "Gather"), Own(indices, "Gather"), Own(y, "Gather"));
        Expect("Gather", x.DType, y);
        if (!indices.DType.IsInteger()) throw new ArgumentException($"Gather: indices must be int32 or int64, got {indices.DType.Name()}.");
        var (outer, dim, inner) = Split(xLayout.Dims, axis);
        int count = indicesLayout.Size;
        // y is x[:axis] + indices.shape + x[axis+1:]: its element f is (outer o, pick p, inner r), and reads
        // element ((o · dim + indices[p]) · inner + r) of x in x's own row-major order.
        for (int f = 0; f < outer * count * inner; f++)
        {
            int o = f / (count * inner), p = f / inner % count, r = f % inner;
            int index = CheckedIndex("Gather", picks.Integer(At(indicesLayout, p)), dim);
            input.CopyTo(At(xLayout, (o * dim + index) * inner + r), output, f);
        }
    }

    public void ScatterAdd(Storage updates, Layout updatesLayout, int axis, Storage indices, Layout indicesLayout, Storage y, int[] yShape)
    {
        var (input, picks, output) = (Own(updates, "ScatterAdd"), Own(indices, "ScatterAdd"), Own(y, "ScatterAdd"));
        if (!y.DType.IsFloat()) throw new ArgumentException($"ScatterAdd: updates must be float32 or float64, got {y.DType.Name()}.");
        Expect("ScatterAdd", y.DType, updates);
        if (!indices.DType.IsInteger()) throw new ArgumentException($"ScatterAdd: indices must be int32 or int64, got {indices.DType.Name()}.");
        var (_, dim, inner) = Split(yShape, axis);
        int count = indicesLayout.Size;
        // Repeated indices add up: the sums start from y's values, accumulate in double and are rounded once.
        var sums = new double[ShapeUtil.SizeOf(yShape)];
        for (int j = 0; j < sums.Length; j++) sums[j] = output.Real(j);
        for (int f = 0; f < updatesLayout.Size; f++)
        {
            int o = f / (count * inner), p = f / inner % count, r = f % inner;
            int index = CheckedIndex("ScatterAdd", picks.Integer(At(indicesLayout, p)), dim);
            sums[(o * dim + index) * inner + r] += input.Real(At(updatesLayout, f));
        }
        for (int j = 0; j < sums.Length; j++) output.SetReal(j, sums[j]);
    }

    private static (int Outer, int Dim, int Inner) Split(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }
}
