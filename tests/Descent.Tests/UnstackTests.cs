namespace Descent.Tests;

/// <summary>Unstack: its pieces are views, and the one tape entry it records gives one gradient for all of them.</summary>
[OnEveryDevice]
public class UnstackTests
{
    private static Tensor Arange(params int[] shape) => Tensor.Arange(shape.Aggregate(1, (a, b) => a * b), DType.Float64).Reshape(shape);

    [Fact]
    public void Pieces_are_the_slices_along_the_axis_without_it()
    {
        var x = Arange(2, 3, 2);
        var pieces = x.Unstack(1);
        Assert.Equal(3, pieces.Length);
        Assert.All(pieces, p => Assert.Equal([2, 2], p.Shape));
        Assert.Equal([2.0, 3, 8, 9], pieces[1].ToArray<double>());
        Assert.Equal([1.0, 3, 5, 7, 9, 11], x.Unstack(-1)[1].ToArray<double>());
        Assert.Equal([6.0, 7, 8, 9, 10, 11], x.Unstack(0)[1].ToArray<double>());
    }

    [Fact]
    public void Gradient_of_each_piece_lands_in_its_slice_and_unused_pieces_get_zeros()
    {
        var x = Arange(2, 3);
        using var tape = new GradientTape();
        tape.Watch(x);
        var pieces = x.Unstack(1);
        var y = (pieces[0] * 2.0).Sum() + pieces[2].Square().Sum();
        var g = tape.Gradient(y, x)!;
        // d/dx of 2·x[:,0] + x[:,2]²: 2 in column 0, nothing in column 1, 2·x in column 2.
        Assert.Equal([2.0, 0, 4, 2, 0, 10], g.ToArray<double>());
    }

    [Fact]
    public void A_piece_used_twice_and_a_persistent_tape_read_twice_give_the_same_gradient()
    {
        var x = Arange(3, 2);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        var pieces = x.Unstack(0);
        var y = (pieces[1] * pieces[1]).Sum() + pieces[1].Sum();
        var first = tape.Gradient(y, x)!.ToArray<double>();
        var second = tape.Gradient(y, x)!.ToArray<double>();
        Assert.Equal([0.0, 0, 5, 7, 0, 0], first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Integer_tensors_unstack_without_a_tape_entry()
    {
        var ids = Tensor.FromArray(new[] { 1, 2, 3, 4 }, 2, 2);
        using var tape = new GradientTape();
        tape.Watch(ids);
        Assert.Equal([2, 4], ids.Unstack(1)[1].ToArray<int>());
    }

    [Fact]
    public void An_axis_out_of_range_is_rejected_with_the_op_name()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Arange(2, 3).Unstack(2));
        Assert.Contains("Unstack", e.Message);
    }
}
