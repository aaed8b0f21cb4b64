namespace Descent.Tests;

/// <summary>Variables: name, trainable flag and dtype, and the in-place updates.</summary>
[OnEveryDevice]
public class VariableTests
{
    [Fact]
    public void Name_is_the_given_one_or_a_fresh_generated_one()
    {
        Assert.Equal("weights", new Variable(Tensor.Zeros([2]), "weights").Name);
        var a = new Variable(Tensor.Zeros([2]));
        var b = new Variable(1.0);
        Assert.StartsWith("Variable", a.Name);
        Assert.StartsWith("Variable", b.Name);
        Assert.NotEqual(a.Name, b.Name);
        Assert.Contains("'weights'", new Variable(Tensor.Zeros([1]), "weights").ToString());
    }

    [Fact]
    public void Trainable_defaults_to_true()
    {
        Assert.True(new Variable(Tensor.Zeros([1])).Trainable);
        Assert.False(new Variable(Tensor.Zeros([1]), trainable: false).Trainable);
        Assert.False(new Variable(2f, "step", trainable: false).Trainable);
    }

    [Fact]
    public void Dtype_and_shape_come_from_the_initial_value()
    {
        var v = new Variable(Tensor.FromArray(new[] { 1L, 2L, 3L, 4L }, 2, 2));
        Assert.Equal(DType.Int64, v.DType);
        Assert.Equal([2, 2], v.Shape);
        Assert.Equal(DType.Float32, new Variable(1.5f).DType);
        Assert.Equal(DType.Float64, new Variable(1.5).DType);
        Assert.Empty(new Variable(1.5).Shape);
    }

    [Fact]
    public void The_initial_value_is_copied_even_from_a_view()
    {
        var source = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        var v = new Variable(source.Transpose());
        Assert.Equal([3, 2], v.Shape);
        Assert.True(v.Layout.IsContiguous);
        Assert.NotSame(source.Storage, v.Storage);
        Assert.Equal([1.0, 4, 2, 5, 3, 6], v.ToArray<double>());
        v.Assign(Tensor.Zeros([3, 2], DType.Float64));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], source.ToArray<double>());
    }

    [Fact]
    public void Assign_overwrites_in_place_and_returns_the_variable()
    {
        var v = new Variable(Tensor.Zeros([2, 2]));
        var storage = v.Storage;
        var returned = v.Assign(Tensor.FromArray(new[] { 1f, 2, 3, 4 }, 2, 2).Transpose());
        Assert.Same(v, returned);
        Assert.Same(storage, v.Storage);
        Assert.Equal([1f, 3, 2, 4], v.ToArray<float>());
    }

    [Fact]
    public void AssignAdd_and_AssignSub_update_in_place()
    {
        var v = new Variable(Tensor.FromArray(new[] { 1.0, 2, 3 }));
        Assert.Same(v, v.AssignAdd(Tensor.FromArray(new[] { 10.0, 20, 30 })));
        Assert.Equal([11.0, 22, 33], v.ToArray<double>());
        Assert.Same(v, v.AssignSub(Tensor.FromArray(new[] { 1.0, 1, 1 })));
        Assert.Equal([10.0, 21, 32], v.ToArray<double>());
        Assert.Same(v, v.AssignAdd(Tensor.FromArray(new[] { 2.0, 4, 6 }), alpha: -0.5));
        Assert.Equal([9.0, 19, 29], v.ToArray<double>());
    }

    [Fact]
    public void Updates_convert_the_dtype_of_the_value()
    {
        var v = new Variable(Tensor.Zeros([2]));
        v.Assign(Tensor.FromArray(new[] { 0.1, 2.5 }));
        Assert.Equal(DType.Float32, v.DType);
        Assert.Equal([0.1f, 2.5f], v.ToArray<float>());
        v.AssignAdd(Tensor.FromArray(new[] { 1, 2 }));
        Assert.Equal([1.1f, 4.5f], v.ToArray<float>());
        v.AssignSub(Tensor.FromArray(new[] { 1L, 1L }));
        Assert.Equal([0.1f + 1 - 1, 3.5f], v.ToArray<float>());
        v.AssignAdd(Tensor.FromArray(new[] { 1.0, 1.0 }), alpha: 2);
        Assert.Equal([0.1f + 1 - 1 + 2, 5.5f], v.ToArray<float>());
        var counter = new Variable(Tensor.Scalar(0L), trainable: false);
        counter.Assign(Tensor.Scalar(7.9));
        Assert.Equal(7L, counter.Item<long>());
    }
}
