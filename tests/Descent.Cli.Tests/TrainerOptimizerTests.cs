using Descent.Cli.Training;
using Descent.Nn.Training;
using Descent.Optimizers;

namespace Descent.Cli.Tests;

/// <summary>descent train takes its optimizers from the library's registry: the same names, classes and defaults.</summary>
public class TrainerOptimizerTests
{
    [Fact]
    public void The_tool_offers_exactly_the_library_s_optimizers() =>
        Assert.Equal(Registries.Optimizers.Names.Order(), TrainSettings.Optimizers);

    [Theory]
    [InlineData("sgd", typeof(SGD))]
    [InlineData("adam", typeof(Adam))]
    [InlineData("adamw", typeof(AdamW))]
    [InlineData("rmsprop", typeof(RMSprop))]
    [InlineData("adagrad", typeof(Adagrad))]
    public void Each_name_gives_the_registry_s_class_at_the_learning_rate_asked(string name, Type type)
    {
        var optimizer = Trainer.CreateOptimizer(name, 0.125);
        Assert.IsType(type, optimizer);
        Assert.Equal(Registries.Optimizers.Create(name).GetType(), optimizer.GetType());
        Assert.Equal(0.125, optimizer.LearningRate);
        Assert.True(TrainSettings.DefaultLearningRate(name) > 0);
    }

    [Fact]
    public void Sgd_is_the_library_s_plain_sgd()
    {
        var sgd = Assert.IsType<SGD>(Trainer.CreateOptimizer("sgd", 0.1));
        var library = Assert.IsType<SGD>(Registries.Optimizers.Create("sgd"));
        Assert.Equal((library.Momentum, library.Nesterov, library.WeightDecay), (sgd.Momentum, sgd.Nesterov, sgd.WeightDecay));
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_known_ones_listed()
    {
        var e = Assert.Throws<ArgumentException>(() => Trainer.CreateOptimizer("lbfgs", 0.1));
        Assert.Contains("'lbfgs'", e.Message);
        Assert.Contains("adagrad, adam, adamw, rmsprop, sgd", e.Message);
    }
}
