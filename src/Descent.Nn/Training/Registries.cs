using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Optimizers;

namespace Descent.Nn.Training;

/// <summary>The registries that resolve the string arguments of <c>Model.Compile</c>.</summary>
public static class Registries
{
    /// <summary>Optimizers by Keras name ("sgd", "adam").</summary>
    public static Registry<Optimizer> Optimizers { get; } = CreateOptimizers();

    /// <summary>Losses by Keras name ("mse", "sparse_categorical_crossentropy").</summary>
    public static Registry<Loss> Losses { get; } = new("loss");

    /// <summary>Metrics by Keras name ("accuracy").</summary>
    public static Registry<Metric> Metrics { get; } = new("metric");

    private static Registry<Optimizer> CreateOptimizers()
    {
        var registry = new Registry<Optimizer>("optimizer");
        registry.Register("sgd", () => new SGD(0.01)); // Keras's default learning rate
        return registry;
    }
}
