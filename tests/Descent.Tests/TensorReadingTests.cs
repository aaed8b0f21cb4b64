namespace Descent.Tests;

/// <summary>Reading a tensor back: arrays, single items, its printed form and its shape facts.</summary>
[OnEveryDevice]
public class TensorReadingTests
{
    [Fact]
    public void ToArray_converts_between_dtypes()
    {
        var x = Tensor.FromArray(new[] { 1.75f, -2.5f, 0f });
        Assert.Equal([1.75, -2.5, 0.0], x.ToArray<double>());
        Assert.Equal([1, -2, 0], x.ToArray<int>());
        Assert.Equal([1L, -2L, 0L], x.ToArray<long>());
        Assert.Equal([true, true, false], x.ToArray<bool>());
        Assert.Equal([1f, 0f], Tensor.FromArray(new[] { true, false }).ToArray<float>());
        Assert.Equal([3.0, -4.0], Tensor.FromArray(new[] { 3L, -4L }).ToArray<double>());
    }

    [Fact]
    public void ToArray_of_a_view_reads_in_row_major_order_of_the_view()
    {
        var x = Tensor.Arange(6, DType.Int32).Reshape(2, 3);
        Assert.Equal([0, 3, 1, 4, 2, 5], x.Transpose().ToArray<int>());
        Assert.Equal([2, 5], x[.., 2].ToArray<int>());
        Assert.Equal([1, 2, 1, 2], x[0, 1..].BroadcastTo(2, 2).ToArray<int>());
    }

    [Fact]
    public void Item_reads_a_single_element_in_any_dtype()
    {
        Assert.Equal(2.5, Tensor.Scalar(2.5f).Item<double>());
        Assert.Equal(2, Tensor.Scalar(2.5f).Item<int>());
        Assert.Equal(7L, Tensor.FromArray(new[] { 7 }).Item<long>());
        Assert.True(Tensor.Scalar(true).Item<bool>());
        Assert.Equal(4f, Tensor.Arange(5)[^1].Item<float>());
        Assert.Equal(3.0, Tensor.Full([1, 1], 3, DType.Float64).Item<double>());
    }

    [Fact]
    public void Item_of_several_elements_throws_naming_the_shape()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros([2, 3]).Item<float>());
        Assert.Contains("Item", e.Message);
        Assert.Contains("[2,3]", e.Message);
    }

    [Fact]
    public void Shape_rank_dtype_and_size_describe_the_tensor()
    {
        var x = Tensor.Zeros([2, 3, 4], DType.Int64);
        Assert.Equal([2, 3, 4], x.Shape);
        Assert.Equal(3, x.Rank);
        Assert.Equal(24, x.Size);
        Assert.Equal(DType.Int64, x.DType);
        var s = Tensor.Scalar(1.0);
        Assert.Equal((0, 1), (s.Rank, s.Size));
        Assert.Empty(s.Shape);
        var empty = Tensor.Zeros([3, 0]);
        Assert.Equal((2, 0), (empty.Rank, empty.Size));
    }

    [Fact]
    public void ToString_prints_a_vector_in_tensorflows_layout_under_its_own_name()
    {
        Assert.Equal("Tensor([1. 2.5], shape=(2,), dtype=float32)", Tensor.FromArray(new[] { 1f, 2.5f }).ToString());
        Assert.Equal("Tensor([0.1 -3.], shape=(2,), dtype=float64)", Tensor.FromArray(new[] { 0.1, -3.0 }).ToString());
    }

    [Fact]
    public void ToString_prints_float32_with_its_own_shortest_digits()
    {
        // 0.1f is 0.100000001490116... as a double; it must print as 0.1, not with float64's digits.
        Assert.Equal("Tensor([0.1 0.2], shape=(2,), dtype=float32)", Tensor.FromArray(new[] { 0.1f, 0.2f }).ToString());
    }

    [Fact]
    public void ToString_prints_scalars_without_brackets()
    {
        Assert.Equal("Tensor(3., shape=(), dtype=float32)", Tensor.Scalar(3f).ToString());
        Assert.Equal("Tensor(42, shape=(), dtype=int64)", Tensor.Scalar(42L).ToString());
    }

    [Fact]
    public void ToString_nests_brackets_for_a_matrix()
    {
        var text = Tensor.FromArray(new[] { 1f, 2, 3, 4, 5, 6 }, 2, 3).ToString();
        Assert.Equal("Tensor([[1. 2. 3.]\n        [4. 5. 6.]], shape=(2, 3), dtype=float32)", text);
        var cube = Tensor.Arange(8, DType.Int32).Reshape(2, 2, 2).ToString();
        Assert.StartsWith("Tensor([[[0 1]", cube);
        Assert.Contains("[6 7]]]", cube);
        Assert.EndsWith("shape=(2, 2, 2), dtype=int32)", cube);
    }

    [Fact]
    public void ToString_prints_bools_ints_nan_and_infinity()
    {
        Assert.Equal("Tensor([True False], shape=(2,), dtype=bool)", Tensor.FromArray(new[] { true, false }).ToString());
        Assert.Equal("Tensor([-1 0 7], shape=(3,), dtype=int32)", Tensor.FromArray(new[] { -1, 0, 7 }).ToString());
        Assert.Equal("Tensor([nan inf -inf 0.], shape=(4,), dtype=float32)",
            Tensor.FromArray(new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f }).ToString());
    }

    [Fact]
    public void ToString_summarises_more_than_a_thousand_elements()
    {
        var text = Tensor.Arange(2000).ToString();
        Assert.Equal("Tensor([0. 1. 2. ... 1997. 1998. 1999.], shape=(2000,), dtype=float32)", text);
        // Exactly a thousand elements are all printed.
        var full = Tensor.Arange(1000, DType.Int32).ToString();
        Assert.DoesNotContain("...", full);
        Assert.Contains(" 500 ", full);
        // A matrix is summarised along each axis.
        var matrix = Tensor.Arange(100 * 20, DType.Int32).Reshape(100, 20).ToString();
        Assert.Contains("[0 1 2 ... 17 18 19]", matrix);
        Assert.Contains("...", matrix.Split('\n')[3]);
        Assert.Contains("[1980 1981 1982 ... 1997 1998 1999]]", matrix);
        Assert.Equal(7, matrix.Split('\n').Length);
    }
}
