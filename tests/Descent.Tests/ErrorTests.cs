namespace Descent.Tests;

/// <summary>Bad arguments throw the right exception type with a message naming the op and what it was given.</summary>
[OnEveryDevice]
public class ErrorTests
{
    private readonly Tensor _m23 = Tensor.Zeros([2, 3]);

    [Fact]
    public void Shapes_that_cannot_broadcast()
    {
        var e = Assert.Throws<ArgumentException>(() => _m23 + Tensor.Zeros([4]));
        Assert.Contains("Add: shapes [2,3] and [4] cannot be broadcast", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Maximum(Tensor.Zeros([3, 2]), _m23));
        Assert.Contains("Maximum: shapes [3,2] and [2,3] cannot be broadcast", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Less(_m23, Tensor.Zeros([2])));
        Assert.Contains("Less: shapes [2,3] and [2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => _m23.BroadcastTo(4, 3));
        Assert.Contains("BroadcastTo", e.Message);
        Assert.Contains("[2,3]", e.Message);
        Assert.Contains("[4,3]", e.Message);
    }

    [Fact]
    public void An_axis_out_of_range()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _m23.Sum(2));
        Assert.Contains("Sum: axis 2 is out of range for a tensor of rank 2", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => _m23.Softmax(-3));
        Assert.Contains("Softmax: axis -3", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => _m23.ArgMax(5));
        Assert.Contains("ArgMax: axis 5", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Concat([_m23, _m23], axis: 2));
        Assert.Contains("Concat: axis 2", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => _m23.Unsqueeze(4));
        Assert.Contains("Unsqueeze: axis 4", e.Message);
    }

    [Fact]
    public void Mixed_dtypes_without_a_cast()
    {
        var e = Assert.Throws<ArgumentException>(() => _m23 + Tensor.Zeros([2, 3], DType.Float64));
        Assert.Contains("Add: dtypes differ: float32 and float64", e.Message);
        Assert.Contains("Cast", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Tensor.Zeros([2, 2], DType.Float64), Tensor.Zeros([2, 2])));
        Assert.Contains("MatMul: dtypes differ: float64 and float32", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Concat([_m23, Tensor.Zeros([2, 3], DType.Int32)]));
        Assert.Contains("Concat: dtypes differ: float32 and int32", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Where(Tensor.Scalar(true), _m23, Tensor.Scalar(1)));
        Assert.Contains("Where: dtypes differ: float32 and int32", e.Message);
    }

    [Fact]
    public void A_reshape_to_the_wrong_size()
    {
        var e = Assert.Throws<ArgumentException>(() => _m23.Reshape(4));
        Assert.Contains("Reshape: cannot reshape [2,3] (6 elements) to [4]", e.Message);
        e = Assert.Throws<ArgumentException>(() => _m23.Reshape(4, -1));
        Assert.Contains("Reshape: cannot reshape [2,3] (6 elements) to [4,-1]", e.Message);
        e = Assert.Throws<ArgumentException>(() => _m23.Reshape(-1, -1));
        Assert.Contains("Reshape: only one axis may be -1", e.Message);
    }

    [Fact]
    public void An_index_out_of_range()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _m23[2]);
        Assert.Contains("Index: index 2 is out of range for axis 0 of size 2 (shape [2,3])", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => _m23[0, ^4]);
        Assert.Contains("axis 1 of size 3", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => _m23[-3]);
        Assert.Contains("Index: index ^3", e.Message);
        var tooMany = Assert.Throws<ArgumentException>(() => _m23[0, 0, 0]);
        Assert.Contains("Index: 3 indices for a tensor of rank 2", tooMany.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => _m23.SliceAxis(1, 2, 2));
        Assert.Contains("Slice: [2, 4) is out of range for axis 1 of size 3", e.Message);
    }

    [Fact]
    public void MatMul_inner_dimensions_differ()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.MatMul(_m23, Tensor.Zeros([4, 5])));
        Assert.Equal("MatMul: inner dimensions differ: [2,3] @ [4,5].", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.MatMul(_m23, _m23));
        Assert.Contains("MatMul: inner dimensions differ: [2,3] @ [2,3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Tensor.Zeros([2, 2, 3]), Tensor.Zeros([3, 3, 1])));
        Assert.Contains("MatMul: shapes [2] and [3] cannot be broadcast", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Tensor.Scalar(1f), _m23));
        Assert.Contains("MatMul", e.Message);
    }

    [Fact]
    public void Gradient_on_a_finished_non_persistent_tape()
    {
        var x = Tensor.FromArray(new[] { 1.0 });
        var tape = new GradientTape();
        tape.Watch(x);
        var y = x * 2.0;
        tape.Gradient(y, x);
        tape.Dispose();
        var e = Assert.Throws<InvalidOperationException>(() => tape.Gradient(y, x));
        Assert.Contains("GradientTape.Gradient", e.Message);
        Assert.Contains("not persistent", e.Message);
        Assert.Throws<InvalidOperationException>(() => tape.Jacobian(y, x));
    }

    [Fact]
    public void Assign_with_the_wrong_shape()
    {
        var v = new Variable(Tensor.Zeros([2]), "bias");
        var e = Assert.Throws<ArgumentException>(() => v.Assign(Tensor.Zeros([3])));
        Assert.Contains("Assign: variable 'bias' has shape [2], the value has shape [3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => v.AssignAdd(Tensor.Zeros([1, 2])));
        Assert.Contains("AssignAdd: variable 'bias' has shape [2], the value has shape [1,2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => v.AssignSub(Tensor.Zeros([])));
        Assert.Contains("AssignSub: variable 'bias' has shape [2], the value has shape []", e.Message);
        Assert.Equal([0f, 0f], v.ToArray<float>());
    }

    [Fact]
    public void Where_with_a_non_bool_condition()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Where(Tensor.Ones([2]), Tensor.Ones([2]), Tensor.Zeros([2])));
        Assert.Contains("Where: the condition must be bool, got float32", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Where(Tensor.FromArray(new[] { 1, 0 }), Tensor.Ones([2]), Tensor.Zeros([2])));
        Assert.Contains("got int32", e.Message);
    }

    [Fact]
    public void Gather_with_out_of_range_indices()
    {
        var x = Tensor.Zeros([3, 2]);
        // The result is read inside each lambda: an asynchronous device (cuda) reports a failed range check at its next download.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(Tensor.FromArray(new[] { 0, 3 })).ToArray<float>());
        Assert.Contains("Gather: index 3 is out of range [0, 3)", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => x.Take(Tensor.FromArray(new long[] { -1 }), axis: 1).ToArray<float>());
        Assert.Contains("Gather: index -1 is out of range [0, 2)", e.Message);
        var floats = Assert.Throws<ArgumentException>(() => x.Gather(Tensor.FromArray(new[] { 0f })));
        Assert.Contains("Gather: indices must be int32 or int64, got float32", floats.Message);
    }

    [Fact]
    public void Float_only_ops_reject_integers()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new[] { 1, 2 }).Exp());
        Assert.Contains("Exp: expects a float32 or float64 tensor, got int32", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new[] { 1L }).Softmax());
        Assert.Contains("Softmax: expects a float32 or float64 tensor, got int64", e.Message);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void CheckNumerics_throws_on_nan_and_infinity_with_the_message(double bad, string printed)
    {
        var x = Tensor.FromArray(new[] { 1f, 2f, (float)bad, 4f }, 2, 2);
        var e = Assert.Throws<ArithmeticException>(() => x.CheckNumerics("loss after step 3"));
        Assert.Contains("CheckNumerics: loss after step 3", e.Message);
        Assert.Contains("flat index 2", e.Message);
        Assert.Contains("[2,2]", e.Message);
        Assert.Contains(printed, e.Message);
        Assert.Throws<ArithmeticException>(() => x.Transpose()[.., 1..].CheckNumerics("view"));
    }

    [Fact]
    public void CheckNumerics_passes_finite_tensors_through()
    {
        var x = Tensor.FromArray(new[] { double.MaxValue, -double.MaxValue, double.Epsilon, 0 });
        Assert.Same(x, x.CheckNumerics("fine"));
        var ints = Tensor.FromArray(new[] { int.MaxValue });
        Assert.Same(ints, ints.CheckNumerics("ints are always finite"));
    }
}
