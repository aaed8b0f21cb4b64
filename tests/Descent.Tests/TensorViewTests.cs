namespace Descent.Tests;

/// <summary>Dtypes, and views: they share storage and change only the layout (shape, strides, offset).</summary>
[OnEveryDevice]
public class TensorViewTests
{
    private static Tensor Iota(params int[] shape) => Tensor.Arange(0, shape.Aggregate(1, (a, b) => a * b)).Reshape(shape);

    [Fact]
    public void Float32_is_the_default_dtype()
    {
        Assert.Equal(DType.Float32, Tensor.Zeros([2]).DType);
        Assert.Equal(DType.Float32, Tensor.Arange(3).DType);
        Assert.Equal(DType.Float32, ((Tensor)1.5f).DType);
    }

    [Fact]
    public void Each_dtype_round_trips_its_values()
    {
        Assert.Equal(DType.Float32, Tensor.FromArray(new[] { 1.5f, -2f }).DType);
        Assert.Equal([1.5f, -2f], Tensor.FromArray(new[] { 1.5f, -2f }).ToArray<float>());
        Assert.Equal(DType.Float64, Tensor.FromArray(new[] { 0.1, 1e300 }).DType);
        Assert.Equal([0.1, 1e300], Tensor.FromArray(new[] { 0.1, 1e300 }).ToArray<double>());
        Assert.Equal(DType.Int32, Tensor.FromArray(new[] { int.MinValue, 7 }).DType);
        Assert.Equal([int.MinValue, 7], Tensor.FromArray(new[] { int.MinValue, 7 }).ToArray<int>());
        Assert.Equal(DType.Int64, Tensor.FromArray(new[] { long.MaxValue, -1L }).DType);
        Assert.Equal([long.MaxValue, -1L], Tensor.FromArray(new[] { long.MaxValue, -1L }).ToArray<long>());
        Assert.Equal(DType.Bool, Tensor.FromArray(new[] { true, false }).DType);
        Assert.Equal([true, false], Tensor.FromArray(new[] { true, false }).ToArray<bool>());
    }

    [Fact]
    public void Reshape_of_contiguous_data_is_a_view()
    {
        var x = Iota(2, 6);
        var y = x.Reshape(3, -1);
        Assert.Same(x.Storage, y.Storage);
        Assert.Equal([3, 4], y.Shape);
        Assert.Equal([4, 1], y.Layout.Strides);
        Assert.Equal(0, y.Layout.Offset);
        Assert.Equal(x.ToArray<float>(), y.ToArray<float>());
    }

    [Fact]
    public void Transpose_permutes_strides_without_copying()
    {
        var x = Iota(2, 3, 4);
        var t = x.Transpose(2, 0, 1);
        Assert.Same(x.Storage, t.Storage);
        Assert.Equal([4, 2, 3], t.Shape);
        Assert.Equal([1, 12, 4], t.Layout.Strides);
        Assert.False(t.Layout.IsContiguous);
        // t[k, i, j] = x[i, j, k] = 12i + 4j + k
        Assert.Equal(1 * 12 + 2 * 4 + 3, t[3, 1, 2].Item<float>());

        var reversed = x.Transpose();
        Assert.Equal([4, 3, 2], reversed.Shape);
        Assert.Equal([1, 4, 12], reversed.Layout.Strides);
    }

    [Fact]
    public void Range_slice_moves_the_offset_and_keeps_the_strides()
    {
        var x = Iota(4, 5);
        var s = x[1..3];
        Assert.Same(x.Storage, s.Storage);
        Assert.Equal([2, 5], s.Shape);
        Assert.Equal([5, 1], s.Layout.Strides);
        Assert.Equal(5, s.Layout.Offset);
        Assert.Equal(Enumerable.Range(5, 10).Select(i => (float)i), s.ToArray<float>());

        var inner = x[1..3, 2..];
        Assert.Same(x.Storage, inner.Storage);
        Assert.Equal([2, 3], inner.Shape);
        Assert.Equal(7, inner.Layout.Offset);
        Assert.Equal([7f, 8, 9, 12, 13, 14], inner.ToArray<float>());
    }

    [Fact]
    public void Integer_index_on_an_inner_axis_is_a_strided_view()
    {
        var x = Iota(3, 4);
        var column = x[.., 0];
        Assert.Same(x.Storage, column.Storage);
        Assert.Equal([3], column.Shape);
        Assert.Equal([4], column.Layout.Strides);
        Assert.Equal(0, column.Layout.Offset);
        Assert.Equal([0f, 4, 8], column.ToArray<float>());

        var last = x[.., ^1];
        Assert.Same(x.Storage, last.Storage);
        Assert.Equal(3, last.Layout.Offset);
        Assert.Equal([3f, 7, 11], last.ToArray<float>());
    }

    [Fact]
    public void Hat_and_negative_indices_count_from_the_end()
    {
        var x = Iota(3, 4);
        var hat = x[^1];
        var negative = x[-1];
        Assert.Same(x.Storage, hat.Storage);
        Assert.Same(x.Storage, negative.Storage);
        Assert.Equal([4], hat.Shape);
        Assert.Equal(8, hat.Layout.Offset);
        Assert.Equal([8f, 9, 10, 11], hat.ToArray<float>());
        Assert.Equal(hat.ToArray<float>(), negative.ToArray<float>());
        Assert.Equal(6f, x[-2, -2].Item<float>());
        Assert.Equal(0, x[0, 0].Rank);
    }

    [Fact]
    public void Squeeze_and_unsqueeze_are_views()
    {
        var x = Iota(3, 1, 4);
        var squeezed = x.Squeeze();
        Assert.Same(x.Storage, squeezed.Storage);
        Assert.Equal([3, 4], squeezed.Shape);
        Assert.Equal([3, 4], x.Squeeze(1).Shape);
        Assert.Equal([3, 1, 4], x.Squeeze(-2).Unsqueeze(1).Shape);

        var u = squeezed.Unsqueeze(0);
        Assert.Same(x.Storage, u.Storage);
        Assert.Equal([1, 3, 4], u.Shape);
        Assert.Equal([3, 4, 1], squeezed.Unsqueeze(-1).Shape);
        Assert.Equal([3, 4, 1], squeezed.ExpandDims(2).Shape);
    }

    [Fact]
    public void Squeeze_and_unsqueeze_of_a_transposed_view_stay_views()
    {
        // Adding or dropping a size-1 axis never needs a copy, whatever the strides.
        var t = Iota(2, 3).Transpose();
        var u = t.Unsqueeze(1);
        Assert.Same(t.Storage, u.Storage);
        Assert.Equal([3, 1, 2], u.Shape);
        var back = u.Squeeze(1);
        Assert.Same(t.Storage, back.Storage);
        Assert.Equal([1, 3], back.Layout.Strides);
        Assert.Equal(t.ToArray<float>(), back.ToArray<float>());
    }

    [Fact]
    public void BroadcastTo_uses_stride_zero_on_repeated_axes()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f, 3f }, 3, 1);
        var b = x.BroadcastTo(2, 3, 4);
        Assert.Same(x.Storage, b.Storage);
        Assert.Equal([2, 3, 4], b.Shape);
        Assert.Equal([0, 1, 0], b.Layout.Strides);
        Assert.Equal(24, b.Size);
        var values = b.ToArray<float>();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                    Assert.Equal(j + 1, values[i * 12 + j * 4 + k]);
    }

    [Fact]
    public void Assign_to_a_variable_is_visible_through_its_views()
    {
        var v = new Variable(Tensor.Zeros([2, 3]));
        var row = v[1];
        var transposed = v.Transpose();
        var reshaped = v.Reshape(6);
        var broadcast = v[0].BroadcastTo(4, 3);
        v.Assign(Tensor.FromArray(new[] { 1f, 2, 3, 4, 5, 6 }, 2, 3));
        Assert.Equal([4f, 5, 6], row.ToArray<float>());
        Assert.Equal([1f, 4, 2, 5, 3, 6], transposed.ToArray<float>());
        Assert.Equal([1f, 2, 3, 4, 5, 6], reshaped.ToArray<float>());
        Assert.Equal([1f, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3], broadcast.ToArray<float>());
        v.AssignAdd(Tensor.OnesLike(v));
        Assert.Equal([5f, 6, 7], row.ToArray<float>());
    }

    [Fact]
    public void Contiguous_returns_the_same_object_for_contiguous_data()
    {
        var x = Iota(3, 4);
        Assert.Same(x, x.Contiguous());
        var rows = x[1..];
        Assert.True(rows.Layout.IsContiguous);
        Assert.Same(rows, rows.Contiguous());
    }

    [Fact]
    public void Contiguous_copies_a_strided_view()
    {
        var t = Iota(3, 4).Transpose();
        var c = t.Contiguous();
        Assert.NotSame(t, c);
        Assert.NotSame(t.Storage, c.Storage);
        Assert.True(c.Layout.IsContiguous);
        Assert.Equal([3, 1], c.Layout.Strides);
        Assert.Equal(0, c.Layout.Offset);
        Assert.Equal(t.ToArray<float>(), c.ToArray<float>());
        Assert.Equal([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], c.ToArray<float>());
    }

    [Fact]
    public void Reshape_of_a_non_contiguous_view_copies()
    {
        var t = Iota(2, 3).Transpose(); // [[0,3],[1,4],[2,5]]
        var flat = t.Reshape(6);
        Assert.NotSame(t.Storage, flat.Storage);
        Assert.Equal([0f, 3, 1, 4, 2, 5], flat.ToArray<float>());
        // The source is untouched by the copy.
        Assert.Equal([3, 2], t.Shape);
        Assert.False(t.Layout.IsContiguous);
    }
}
