using System.Text.Json;
using Descent.Nn.Initializers;

namespace Descent.Nn.Tests.Initializers;

[OnEveryDevice]
public class InitializerTests
{
    private static (double Mean, double Std, double Min, double Max) Stats(Tensor t)
    {
        var v = t.ToArray<double>();
        double mean = v.Average();
        double std = Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average());
        return (mean, std, v.Min(), v.Max());
    }

    [Theory]
    [InlineData("glorot_uniform")]
    [InlineData("glorot_normal")]
    [InlineData("he_normal")]
    [InlineData("he_uniform")]
    [InlineData("lecun_normal")]
    [InlineData("random_normal")]
    [InlineData("random_uniform")]
    [InlineData("orthogonal")]
    public void Same_seed_gives_same_weights_and_another_seed_differs(string name)
    {
        var init = Descent.Nn.Initializers.Initializers.Get(name);
        var a = init.Create([8, 6], DType.Float32, new Generator(7)).ToArray<float>();
        var b = init.Create([8, 6], DType.Float32, new Generator(7)).ToArray<float>();
        var c = init.Create([8, 6], DType.Float32, new Generator(8)).ToArray<float>();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Fans_of_dense_and_conv2d_kernels_follow_keras()
    {
        Assert.Equal((4.0, 5.0), Initializer.Fans([4, 5]));
        Assert.Equal((3 * 3 * 16.0, 3 * 3 * 32.0), Initializer.Fans([3, 3, 16, 32]));
        Assert.Equal((7.0, 7.0), Initializer.Fans([7]));
    }

    [Fact]
    public void GlorotUniform_is_uniform_within_the_glorot_limit()
    {
        double limit = Math.Sqrt(6.0 / (200 + 300));
        var (mean, std, min, max) = Stats(new GlorotUniform().Create([200, 300], DType.Float64, new Generator(1)));
        Assert.InRange(mean, -0.01 * limit, 0.01 * limit);
        Assert.InRange(std, 0.98 * limit / Math.Sqrt(3), 1.02 * limit / Math.Sqrt(3));
        Assert.True(min >= -limit && max < limit);
        Assert.True(min < -0.99 * limit && max > 0.99 * limit);
    }

    [Fact]
    public void GlorotNormal_is_truncated_at_two_sigma_with_the_glorot_variance()
    {
        double target = Math.Sqrt(2.0 / (200 + 300));
        double sigma = target / 0.87962566103423978;
        var (mean, std, min, max) = Stats(new GlorotNormal().Create([200, 300], DType.Float64, new Generator(2)));
        Assert.InRange(mean, -0.01 * target, 0.01 * target);
        Assert.InRange(std, 0.98 * target, 1.02 * target);
        Assert.True(min >= -2 * sigma && max <= 2 * sigma);
    }

    [Fact]
    public void HeNormal_on_a_conv_kernel_uses_fan_in_times_receptive_field()
    {
        double target = Math.Sqrt(2.0 / (3 * 3 * 16));
        var (mean, std, min, max) = Stats(new HeNormal().Create([3, 3, 16, 512], DType.Float64, new Generator(3)));
        Assert.InRange(mean, -0.01 * target, 0.01 * target);
        Assert.InRange(std, 0.98 * target, 1.02 * target);
        Assert.True(min >= -2 * target / 0.87962566103423978 && max <= 2 * target / 0.87962566103423978);
    }

    [Fact]
    public void HeUniform_limit_is_sqrt_6_over_fan_in()
    {
        double limit = Math.Sqrt(6.0 / 100);
        var (mean, std, min, max) = Stats(new HeUniform().Create([100, 400], DType.Float64, new Generator(4)));
        Assert.InRange(mean, -0.01 * limit, 0.01 * limit);
        Assert.InRange(std, 0.98 * limit / Math.Sqrt(3), 1.02 * limit / Math.Sqrt(3));
        Assert.True(min >= -limit && max < limit && min < -0.99 * limit && max > 0.99 * limit);
    }

    [Fact]
    public void RandomNormal_and_RandomUniform_match_their_parameters()
    {
        var (mean, std, _, _) = Stats(new RandomNormal(1.5, 2).Create([300, 300], DType.Float64, new Generator(5)));
        Assert.InRange(mean, 1.5 - 0.02, 1.5 + 0.02);
        Assert.InRange(std, 1.98, 2.02);

        var u = Stats(new RandomUniform(-1, 3).Create([300, 300], DType.Float64, new Generator(6)));
        Assert.InRange(u.Mean, 0.98, 1.02);
        Assert.True(u.Min >= -1 && u.Max < 3 && u.Min < -0.99 && u.Max > 2.99);
    }

    [Theory]
    [InlineData(6, 6, 1.0)]
    [InlineData(9, 4, 1.0)]
    [InlineData(4, 12, 2.5)]
    public void Orthogonal_gives_orthonormal_rows_or_columns_times_the_gain(int rows, int columns, double gain)
    {
        var q = new Orthogonal(gain).Create([rows, columns], DType.Float64, new Generator(7));
        // The shorter side is orthonormal: QᵀQ = gain²·I for a tall matrix, QQᵀ = gain²·I for a wide one.
        var gram = (rows >= columns ? q.MatMul(q, transposeA: true) : q.MatMul(q, transposeB: true)).ToArray<double>();
        int n = Math.Min(rows, columns);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(i == j ? gain * gain : 0, gram[i * n + j], 12);
    }

    [Fact]
    public void Orthogonal_reads_a_kernel_as_leading_axes_by_the_last_and_needs_two_axes()
    {
        var q = new Orthogonal().Create([2, 3, 4], DType.Float32, new Generator(8));
        Assert.Equal([2, 3, 4], q.Shape);
        var gram = q.Reshape(6, 4).MatMul(q.Reshape(6, 4), transposeA: true).ToArray<float>();
        for (int i = 0; i < 4; i++) Assert.Equal(1f, gram[i * 4 + i], 5);
        Assert.Contains("at least two axes", Assert.Throws<ArgumentException>(() => new Orthogonal().Create([5], DType.Float32, new Generator(1))).Message);
        Assert.Throws<ArgumentException>(() => new Orthogonal(double.NaN));
    }

    [Fact]
    public void Constant_initializers_fill_with_their_value_in_the_requested_dtype()
    {
        var g = new Generator(0);
        Assert.All(new Zeros().Create([2, 3], DType.Float64, g).ToArray<double>(), v => Assert.Equal(0.0, v));
        Assert.All(new Ones().Create([4], DType.Float32, g).ToArray<float>(), v => Assert.Equal(1f, v));
        var c = new Constant(2.5).Create([3, 1], DType.Float64, g);
        Assert.Equal(DType.Float64, c.DType);
        Assert.Equal([3, 1], c.Shape);
        Assert.All(c.ToArray<double>(), v => Assert.Equal(2.5, v));
    }

    [Theory]
    [InlineData("glorot_uniform", typeof(GlorotUniform))]
    [InlineData("GlorotNormal", typeof(GlorotNormal))]
    [InlineData("he_normal", typeof(HeNormal))]
    [InlineData("he_uniform", typeof(HeUniform))]
    [InlineData("zeros", typeof(Zeros))]
    [InlineData("ones", typeof(Ones))]
    [InlineData("random_normal", typeof(RandomNormal))]
    [InlineData("random_uniform", typeof(RandomUniform))]
    [InlineData("orthogonal", typeof(Orthogonal))]
    public void Get_knows_keras_names(string name, Type expected) =>
        Assert.IsType(expected, Descent.Nn.Initializers.Initializers.Get(name));

    [Fact]
    public void Get_of_an_unknown_name_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Descent.Nn.Initializers.Initializers.Get("glorot"));
        Assert.Contains("'glorot'", e.Message);
        Assert.Contains("he_normal", e.Message);
    }

    [Fact]
    public void Bad_parameters_throw()
    {
        Assert.Throws<ArgumentException>(() => new RandomUniform(1, 0));
        Assert.Throws<ArgumentException>(() => new RandomNormal(0, -1));
        Assert.Throws<ArgumentException>(() => new VarianceScaling(1, "fan_middle"));
    }

    public static TheoryData<Initializer> Serializable() =>
        [new GlorotUniform(), new HeNormal(), new Zeros(), new Ones(), new Constant(0.25),
         new RandomNormal(1, 0.5), new RandomUniform(-2, 2), new VarianceScaling(0.5, "fan_out", "untruncated_normal"), new Orthogonal(0.5)];

    [Theory]
    [MemberData(nameof(Serializable))]
    public void Serialize_round_trips_through_json(Initializer init)
    {
        string json = JsonSerializer.Serialize(Descent.Nn.Initializers.Initializers.Serialize(init));
        var back = Descent.Nn.Initializers.Initializers.Deserialize(JsonDocument.Parse(json).RootElement);

        Assert.IsType(init.GetType(), back);
        Assert.Equal(json, JsonSerializer.Serialize(Descent.Nn.Initializers.Initializers.Serialize(back)));
        Assert.Equal(init.Create([5, 4], DType.Float64, new Generator(9)).ToArray<double>(),
            back.Create([5, 4], DType.Float64, new Generator(9)).ToArray<double>());
    }
}
