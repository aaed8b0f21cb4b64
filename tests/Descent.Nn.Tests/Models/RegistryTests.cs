using Descent.Nn.Training;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Models;

public class RegistryTests
{
    [Fact]
    public void Names_are_case_insensitive_and_each_call_creates_a_new_instance()
    {
        var registry = new Registry<Optimizer>("optimizer");
        registry.Register("SGD", () => new SGD(0.5));
        var a = registry.Create("sgd");
        Assert.NotSame(a, registry.Create("Sgd"));
        Assert.Equal(0.5, a.LearningRate);
    }

    [Fact]
    public void Unknown_names_list_the_known_ones()
    {
        var registry = new Registry<Optimizer>("optimizer");
        registry.Register("sgd", () => new SGD());
        var e = Assert.Throws<ArgumentException>(() => registry.Create("adamw"));
        Assert.Contains("no optimizer is registered as 'adamw'", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("sgd", e.Message);
    }

    [Fact]
    public void The_default_optimizer_registry_knows_sgd_with_the_keras_rate()
    {
        Assert.Equal(0.01, Registries.Optimizers.Create("sgd").LearningRate);
    }
}
