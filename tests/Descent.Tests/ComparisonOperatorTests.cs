namespace Descent.Tests;

/// <summary>The comparison operators &gt; &lt; &gt;= &lt;= on tensors and C# numbers, checked against C#'s own comparisons.</summary>
[OnEveryDevice]
public class ComparisonOperatorTests
{
    private static readonly double[] Left = [-1.5, 0, 0.5, 2, double.NaN, 3];
    private static readonly double[] Right = [0, 0, 1, 2, 1, -3];

    private static bool[] Expected(double[] a, double[] b, Func<double, double, bool> op) =>
        a.Select((x, i) => op(x, b[i])).ToArray();

    [Theory]
    [MemberData(nameof(Check.FloatDTypes), MemberType = typeof(Check))]
    public void Tensor_against_tensor_gives_bool_elementwise(DType dtype)
    {
        var a = Tensor.FromArray(Left).Cast(dtype);
        var b = Tensor.FromArray(Right).Cast(dtype);

        Assert.Equal(DType.Bool, (a > b).DType);
        Assert.Equal(Expected(Left, Right, (x, y) => x > y), (a > b).ToArray<bool>());
        Assert.Equal(Expected(Left, Right, (x, y) => x < y), (a < b).ToArray<bool>());
        Assert.Equal(Expected(Left, Right, (x, y) => x >= y), (a >= b).ToArray<bool>());
        Assert.Equal(Expected(Left, Right, (x, y) => x <= y), (a <= b).ToArray<bool>());
    }

    [Fact]
    public void A_number_on_either_side_compares_in_the_tensors_dtype()
    {
        var a = Tensor.FromArray(Left);
        var half = Enumerable.Repeat(0.5, Left.Length).ToArray();

        Assert.Equal(Expected(Left, half, (x, y) => x > y), (a > 0.5).ToArray<bool>());
        Assert.Equal(Expected(Left, half, (x, y) => x < y), (a < 0.5).ToArray<bool>());
        Assert.Equal(Expected(Left, half, (x, y) => x >= y), (a >= 0.5).ToArray<bool>());
        Assert.Equal(Expected(Left, half, (x, y) => x <= y), (a <= 0.5).ToArray<bool>());
        Assert.Equal(Expected(half, Left, (x, y) => x > y), (0.5 > a).ToArray<bool>());
        Assert.Equal(Expected(half, Left, (x, y) => x < y), (0.5 < a).ToArray<bool>());
        Assert.Equal(Expected(half, Left, (x, y) => x >= y), (0.5 >= a).ToArray<bool>());
        Assert.Equal(Expected(half, Left, (x, y) => x <= y), (0.5 <= a).ToArray<bool>());

        // float32: 0.1 becomes 0.1f, so the element equal to 0.1f is not greater than it.
        var f = Tensor.FromArray(new[] { 0.1f, 0.2f });
        Assert.Equal([false, true], (f > 0.1).ToArray<bool>());
    }

    [Fact]
    public void Operators_broadcast_and_match_the_named_ops()
    {
        var a = Tensor.Arange(6).Reshape(2, 3);
        var b = Tensor.FromArray(new[] { 1f, 4f, 2f });

        Assert.Equal([2, 3], (a > b).Shape);
        Assert.Equal(Tensor.Greater(a, b).ToArray<bool>(), (a > b).ToArray<bool>());
        Assert.Equal(Tensor.LessEqual(b, a).ToArray<bool>(), (b <= a).ToArray<bool>());
        Assert.Equal(Tensor.Where(a >= 3, a, a * 0).ToArray<float>(), new[] { 0f, 0, 0, 3, 4, 5 });
    }

    [Fact]
    public void Integer_tensors_compare_with_whole_numbers()
    {
        var x = Tensor.FromArray(new[] { -2, 0, 3 });

        Assert.Equal([false, false, true], (x > 0).ToArray<bool>());
        Assert.Equal([true, true, false], (x <= 0L).ToArray<bool>());
        Assert.Equal([true, false, false], (-1 > x).ToArray<bool>());
    }

    [Fact]
    public void A_fraction_against_an_integer_tensor_throws_instead_of_truncating()
    {
        var x = Tensor.FromArray(new[] { 0, 1 });

        var e = Assert.Throws<ArgumentException>(() => x > 0.5);
        Assert.Contains("Greater: 0.5 is not representable as int32", e.Message);
        e = Assert.Throws<ArgumentException>(() => 1e10 <= x);
        Assert.Contains("LessEqual: 10000000000 is not representable as int32", e.Message);
        e = Assert.Throws<ArgumentException>(() => x.Cast(DType.Int64) < double.NaN);
        Assert.Contains("Less: NaN is not representable as int64", e.Message);
    }

    [Fact]
    public void Bad_operands_throw_naming_the_op()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]) > Tensor.Zeros([2]));
        Assert.Contains("Greater: shapes [2,3] and [2] cannot be broadcast", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2]) >= Tensor.Zeros([2], DType.Float64));
        Assert.Contains("GreaterEqual: dtypes differ: float32 and float64", e.Message);
    }

    [Fact]
    public void Equality_stays_reference_equality()
    {
        // Tensors key dictionaries (tapes, optimizer state); == must keep comparing references, not elements.
        var a = Tensor.FromArray(new[] { 1f, 2f });
        var b = Tensor.FromArray(new[] { 1f, 2f });
        object boxed = a;

#pragma warning disable CS0252, CS1718 // the reference comparisons are the point of the test
        Assert.True(a == a);
        Assert.False(a == b);
        Assert.True(boxed == a);
#pragma warning restore CS0252, CS1718
        Assert.Null(typeof(Tensor).GetMethod("op_Equality"));
    }
}
