using Descent.Nn.Data;

namespace Descent.Nn.Tests.Data;

[OnEveryDevice]
public class OneHotEncoderTests
{
    [Fact]
    public void Encode_puts_a_one_at_each_label()
    {
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 1f, 1f, 0f, 0f], OneHotEncoder.Encode([1, 2, 0], classes: 3));
        var t = OneHotEncoder.EncodeTensor([1, 0], classes: 2, DType.Float64);
        Assert.Equal([2, 2], t.Shape);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal([0.0, 1, 1, 0], t.ToArray<double>());
    }

    [Fact]
    public void Label_out_of_range_names_the_label_and_index()
    {
        Assert.Contains("label 3 at index 1 is outside [0, 3)", Assert.Throws<ArgumentException>(() => OneHotEncoder.Encode([0, 3], 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHotEncoder.Encode([0], 0));
    }
}
