using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Optimizers;

namespace Descent.Nn.Training;

/// <summary>The registries that resolve the string arguments of <c>Model.Compile</c>.</summary>
public static class Registries
{
    /// <summary>Optimizers by Keras name ("sgd", "adam").</summary>
    public static Registry<Optimizer> Optimizers { get; } = CreateOptimizers();

    /// <summary>Extra losses by name; names not registered here go to <see cref="Loss.Get"/> (every Keras name).</summary>
    public static Registry<Loss> Losses { get; } = new("loss");

    /// <summary>Extra metrics by name; names not registered here go to <see cref="Metric.Get"/> (every Keras name).</summary>
    public static Registry<Metric> Metrics { get; } = new("metric");

    private static Registry<Optimizer> CreateOptimizers()
    {
        var registry = new Registry<Optimizer>("optimizer");
        // Keras's names; the defaults are PyTorch's (see each class), except SGD's 0.01, which both share.
        registry.Register("sgd", () => new SGD(0.01));
        registry.Register("adam", () => new Adam());
        registry.Register("adamw", () => new AdamW());
        registry.Register("rmsprop", () => new RMSprop());
        registry.Register("adagrad", () => new Adagrad());
        return registry;
    }
}
