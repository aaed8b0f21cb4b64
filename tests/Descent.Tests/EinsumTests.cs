using static Descent.Tests.AttentionOpsFixture;

namespace Descent.Tests;

[OnEveryDevice]
public class EinsumTests
{
    public static IEnumerable<object[]> Cases => Indices("einsum");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_and_gradients_match_torch_einsum(int index)
    {
        var c = Case("einsum", index);
        string equation = c.GetProperty("equation").GetString()!;
        var shapes = c.GetProperty("shapes").EnumerateArray().Select(s => s.Ints()).ToArray();
        var inputs = c.GetProperty("inputs").EnumerateArray().Select((v, i) => Tensor.FromArray(v.Doubles(), shapes[i], null)).ToArray();
        var dy = Tensor.FromArray(c.GetProperty("dy").Doubles(), c.GetProperty("y_shape").Ints(), null);
        using var tape = new GradientTape();
        foreach (var x in inputs) tape.Watch(x);
        var y = Tensor.Einsum(equation, inputs);
        Check.Close(c.GetProperty("y_shape").Ints(), c.GetProperty("y").Doubles(), y, 1e-12, equation);
        var grads = tape.Gradient((y * dy).Sum(), inputs);
        var expected = c.GetProperty("grads").EnumerateArray().ToArray();
        for (int i = 0; i < inputs.Length; i++)
            Check.Close(shapes[i], expected[i].Doubles(), grads[i]!, 1e-12, $"{equation} gradient {i}");
    }

    [Fact]
    public void A_matrix_product_equals_MatMul_and_a_transposed_view_works()
    {
        var a = Tensor.RandomUniform([4, 3], new Generator(1), dtype: DType.Float64);
        var b = Tensor.RandomUniform([4, 5], new Generator(2), dtype: DType.Float64);
        // a is read transposed ("ji"), a view, so the first operand reaches MatMul without a copy of its own.
        var y = Tensor.Einsum("ji,jk->ik", a, b);
        Check.Close([3, 5], Tensor.MatMul(a, b, transposeA: true).ToArray<double>(), y, 1e-14);
    }

    [Fact]
    public void Spaces_are_ignored_and_a_single_operand_can_be_returned_as_is()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        Check.Close([3, 2], [1, 4, 2, 5, 3, 6], Tensor.Einsum(" ij -> ji ", x), 0);
        Check.Close([2, 3], [1, 2, 3, 4, 5, 6], Tensor.Einsum("ij", x), 0);
        Check.Close([], [21], Tensor.Einsum("ij->", x), 0);
    }

    [Theory]
    [InlineData("ij,jk->ik", "names 2 operands but 1 were given")]
    [InlineData("ijk->ik", "has shape [2,3] (2 axes) but its subscripts 'ijk' name 3")]
    [InlineData("ii->i", "repeats the subscript 'i'")]
    [InlineData("i1->i", "holds '1'")]
    [InlineData("ij->ik", "the output subscript 'k' appears in no operand")]
    [InlineData("ij->ii", "the output repeats the subscript 'i'")]
    [InlineData("ij->j->i", "has more than one '->'")]
    public void Bad_equations_name_the_problem(string equation, string message)
    {
        var x = Tensor.Zeros(2, 3);
        var e = Assert.Throws<ArgumentException>(() => Tensor.Einsum(equation, x));
        Assert.Contains($"Einsum: '{equation}'", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Mismatched_sizes_and_unbroadcastable_ellipses_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Einsum("ij,jk->ik", Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)));
        Assert.Contains("subscript 'j' has size 3 in one place and 4 in operand 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Einsum("...i,...i->...", Tensor.Zeros(2, 3), Tensor.Zeros(4, 3)));
        Assert.Contains("do not broadcast", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Einsum("...i->i", Tensor.Zeros(2, 3)));
        Assert.Contains("no '...'", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Einsum("i,i->", Tensor.Zeros([2], DType.Float64), Tensor.Zeros([2])));
        Assert.Contains("dtypes differ", e.Message);
    }
}
