using Descent.Cli.Training;

namespace Descent.Cli.Tests;

public class ModelSpecTests
{
    [Theory]
    [InlineData("mlp", "mlp:256,128")]
    [InlineData("MLP:128,64", "mlp:128,64")]
    [InlineData("mlp:10", "mlp:10")]
    [InlineData("cnn", "cnn:16,32")]
    [InlineData(" cnn:8,16 ", "cnn:8,16")]
    public void Parses_the_forms_the_docs_list(string text, string canonical)
    {
        Assert.Equal(canonical, ModelSpec.Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("rnn")]
    [InlineData("mlp:")]
    [InlineData("mlp:0")]
    [InlineData("mlp:-4")]
    [InlineData("mlp:1e3")]
    [InlineData("cnn:16")]
    [InlineData("cnn:16,32,64")]
    public void Rejects_anything_else_naming_the_forms(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => ModelSpec.Parse(text));
        Assert.Contains("mlp:UNITS", e.Message);
    }

    [Fact]
    public void Mlp_has_hidden_relu_layers_with_dropout_and_linear_logits()
    {
        var model = ModelSpec.Parse("mlp:32,16").Build(64, 10, 1, 0.2);
        Assert.Equal(["Dense", "Dropout", "Dense", "Dropout", "Dense"], model.Layers.Select(l => l.GetType().Name));
        Assert.Equal(10, ((Nn.Layers.Dense)model.Layers[^1]).Units);
        Assert.Equal("linear", ((Nn.Layers.Dense)model.Layers[^1]).ActivationName);
        Assert.DoesNotContain(ModelSpec.Parse("mlp:32").Build(4, 3, 1, 0).Layers, l => l is Nn.Layers.Dropout);
    }

    [Fact]
    public void Cnn_reshapes_square_rows_into_images()
    {
        var model = ModelSpec.Parse("cnn").Build(64, 10, 1, 0.2);
        Assert.IsType<Nn.Layers.Reshape>(model.Layers[0]);
        Assert.Equal([1, 10], model.Predict(Tensor.Zeros([1, 64])).Shape);
        var e = Assert.Throws<ArgumentException>(() => ModelSpec.Parse("cnn").Build(4, 3, 1, 0));
        Assert.Contains("square images", e.Message);
    }
}
