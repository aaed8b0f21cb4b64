using static Descent.TensorIndex;

namespace Descent.Tests;

/// <summary>NumPy's basic indexing (steps, ellipsis, new axes) and the strided Slice under it, checked element by element.</summary>
[OnEveryDevice]
public class IndexingTests
{
    // x[i, j] = 10·i + j, so every value says where it came from.
    private static Tensor Grid(int rows, int cols) =>
        Tensor.FromArray(Enumerable.Range(0, rows * cols).Select(k => 10.0 * (k / cols) + k % cols).ToArray(), rows, cols);

    private static double[] Pick(IEnumerable<int> rows, IEnumerable<int> cols) =>
        [.. from i in rows from j in cols select 10.0 * i + j];

    private static IEnumerable<int> Steps(int start, int stop, int step)
    {
        for (int i = start; i < stop; i += step) yield return i;
    }

    [Fact]
    public void Steps_take_every_kth_element_as_numpy_slices_do()
    {
        var x = Grid(5, 8);

        // x[1:4, 2:6:2]
        var y = x[1..4, Slice(2, 6, 2)];
        Assert.Equal([3, 2], y.Shape);
        Assert.Equal(Pick(Steps(1, 4, 1), Steps(2, 6, 2)), y.ToArray<double>());
        // x[::2, 1::3] with a range and a step
        Assert.Equal(Pick(Steps(0, 5, 2), Steps(1, 8, 3)), x[Slice(.., 2), Slice(1.., 3)].ToArray<double>());
        // x[-3:, :-1:4]: negative bounds count from the end, as in Python
        Assert.Equal(Pick(Steps(2, 5, 1), Steps(0, 7, 4)), x[Slice(-3, null), Slice(null, -1, 4)].ToArray<double>());
        // x[1:100:3, 7:2]: bounds past the axis are clamped, and an empty range gives an empty axis
        Assert.Equal(Pick(Steps(1, 5, 3), []), x[Slice(1, 100, 3), Slice(7, 2)].ToArray<double>());
        Assert.Equal([2, 0], x[Slice(1, 100, 3), Slice(7, 2)].Shape);
    }

    [Fact]
    public void A_strided_slice_is_a_view_with_multiplied_strides()
    {
        var x = Grid(6, 10);

        var y = x[Slice(1.., 2), Slice(3, null, 3)];

        Assert.Same(x.Storage, y.Storage);
        Assert.Equal([20, 3], y.Layout.Strides);
        Assert.Equal(1 * 10 + 3, y.Layout.Offset);
        // A slice of a slice composes: every 2nd of every 3rd column is every 6th.
        var z = x[.., Slice(.., 3)][.., Slice(.., 2)];
        Assert.Same(x.Storage, z.Storage);
        Assert.Equal([10, 6], z.Layout.Strides);
        Assert.Equal(Pick(Steps(0, 6, 1), Steps(0, 10, 6)), z.ToArray<double>());
    }

    [Fact]
    public void Kernels_read_strided_views_correctly()
    {
        var x = Grid(6, 8);
        var view = x[Slice(.., 2), Slice(1.., 2)];
        var copy = Tensor.FromArray(view.ToArray<double>(), 3, 4);

        Assert.Equal(copy.Exp().ToArray<double>(), view.Exp().ToArray<double>());
        Assert.Equal((copy * copy[..1, ..]).ToArray<double>(), (view * view[..1, ..]).ToArray<double>());
        Assert.Equal(copy.Sum(0).ToArray<double>(), view.Sum(0).ToArray<double>());
        Assert.Equal(copy.Max(1).ToArray<double>(), view.Max(1).ToArray<double>());
        Assert.Equal(Tensor.MatMul(copy, copy.Transpose()).ToArray<double>(), Tensor.MatMul(view, view.Transpose()).ToArray<double>());
        Assert.Equal(copy.ArgMax(0).ToArray<long>(), view.ArgMax(0).ToArray<long>());
    }

    [Fact]
    public void Ellipsis_stands_for_every_axis_not_indexed()
    {
        var x = Tensor.Arange(0, 24).Reshape(2, 3, 4);

        Assert.Equal(x.Transpose(2, 0, 1)[0].ToArray<float>(), x[Ellipsis, 0].ToArray<float>());
        Assert.Equal([2, 3], x[Ellipsis, 0].Shape);
        Assert.Equal(x[1].ToArray<float>(), x[1, Ellipsis].ToArray<float>());
        Assert.Equal(x[1, .., 2].ToArray<float>(), x[1, Ellipsis, 2].ToArray<float>());
        // With every axis indexed it stands for none.
        Assert.Equal(x[1, 2, 3].Item<float>(), x[1, 2, Ellipsis, 3].Item<float>());
        Assert.Same(x, x[Ellipsis]);
    }

    [Fact]
    public void NewAxis_inserts_an_axis_of_size_one()
    {
        var x = Grid(2, 3);

        Assert.Equal([1, 2, 3], x[NewAxis, ..].Shape);
        Assert.Equal([2, 1, 3], x[.., NewAxis].Shape);
        Assert.Equal([2, 3, 1], x[Ellipsis, NewAxis].Shape);
        Assert.Equal([1, 3, 1], x[NewAxis, 1, .., NewAxis].Shape);
        Assert.Equal(Pick([1], Steps(0, 3, 1)), x[NewAxis, 1, .., NewAxis].ToArray<double>());
        Assert.Equal([1], Tensor.Scalar(2.5)[NewAxis].Shape);
        Assert.Same(x.Storage, x[NewAxis, Slice(.., 2), NewAxis].Storage);
        // Broadcasting against a new axis: an outer difference, as NumPy's x[:, None] - y[None, :].
        var v = Tensor.FromArray(new[] { 1.0, 2.0, 4.0 });
        Assert.Equal([.. from a in new[] { 1.0, 2, 4 } from b in new[] { 1.0, 2, 4 } select a - b], (v[.., NewAxis] - v[NewAxis, ..]).ToArray<double>());
    }

    [Fact]
    public void The_gradient_of_a_strided_slice_scatters_into_zeros()
    {
        var x = new Variable(Grid(4, 5));
        using var tape = new GradientTape();
        var y = (x[Slice(.., 2), Slice(1.., 3)] * 2.0).Sum();

        var g = tape.Gradient(y, x)!.ToArray<double>();

        var picked = new HashSet<int>(from i in Steps(0, 4, 2) from j in Steps(1, 5, 3) select i * 5 + j);
        Assert.Equal(Enumerable.Range(0, 20).Select(k => picked.Contains(k) ? 2.0 : 0.0), g);
    }

    [Fact]
    public void Strided_Slice_with_begin_size_and_strides()
    {
        var x = Grid(5, 8);

        Assert.Equal(Pick(Steps(1, 5, 2), Steps(0, 8, 3)), x.Slice([1, 0], [2, 3], [2, 3]).ToArray<double>());
        Assert.Equal(Pick(Steps(1, 5, 2), Steps(2, 8, 1)), x.Slice([1, 2], [-1, -1], [2, 1]).ToArray<double>());
        Assert.Same(x, x.Slice([0, 0], [-1, -1], [1, 1]));
        Assert.Equal([0, 1], x.Slice([5, 7], [-1, -1], [3, 4]).Shape);
    }

    [Fact]
    public void Bad_steps_and_ellipses_throw_saying_what_was_wrong()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Slice(.., 0));
        Assert.Contains("TensorIndex.Slice: the step must be positive, got 0", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Slice(null, null, -1));
        Assert.Contains("negative steps are not supported", e.Message);
        Assert.Contains("Gather", e.Message);

        var x = Grid(2, 3);
        var a = Assert.Throws<ArgumentException>(() => x[Ellipsis, 0, Ellipsis]);
        Assert.Contains("Index: at most one Ellipsis may appear, got 2 (shape [2,3])", a.Message);
        a = Assert.Throws<ArgumentException>(() => x[0, Ellipsis, NewAxis, 1, 2]);
        Assert.Contains("Index: 3 indices for a tensor of rank 2", a.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => x[NewAxis, 5]);
        Assert.Contains("Index: index 5 is out of range for axis 0 of size 2", e.Message);
    }

    [Fact]
    public void Bad_strided_Slice_arguments_throw_naming_the_axis()
    {
        var x = Grid(5, 8);

        var a = Assert.Throws<ArgumentException>(() => x.Slice([0], [1], [1]));
        Assert.Contains("Slice: begin [0], size [1] and strides [1] must each have 2 entries for shape [5,8]", a.Message);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice([0, 0], [1, 1], [1, -2]));
        Assert.Contains("Slice: strides must be positive, got [1,-2]", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice([0, 9], [1, 0], [1, 1]));
        Assert.Contains("Slice: begin 9 is out of range for axis 1 of size 8", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice([1, 0], [3, 1], [2, 1]));
        Assert.Contains("Slice: 3 elements from 1 in steps of 2 do not fit axis 0 of size 5", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice([0, 0], [1, -2], [1, 1]));
        Assert.Contains("Slice: -2 elements", e.Message);
    }
}
