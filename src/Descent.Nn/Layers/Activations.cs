namespace Descent.Nn.Layers;

/// <summary>Keras's activation functions by name, for layers' <c>activation</c> argument.</summary>
public static class Activations
{
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Functions = new()
    {
        ["linear"] = x => x,
        ["relu"] = x => x.Relu(),
        ["sigmoid"] = x => x.Sigmoid(),
        ["tanh"] = x => x.Tanh(),
        ["softmax"] = x => x.Softmax(-1),
        ["elu"] = x => x.Elu(),
        ["gelu"] = x => x.Gelu(),
        ["leaky_relu"] = x => x.LeakyRelu(),
        ["softplus"] = x => x.Softplus(),
        ["silu"] = x => x * x.Sigmoid(),
        ["swish"] = x => x * x.Sigmoid(),
    };

    /// <summary>The names <see cref="Get"/> knows, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Functions.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The function for <paramref name="name"/>; null means "linear" (the identity). Throws ArgumentException listing the known names.</summary>
    public static Func<Tensor, Tensor> Get(string? name) =>
        Find(name) ?? throw new ArgumentException($"Activations.Get: {Unknown(name!)}");

    internal static Func<Tensor, Tensor>? Find(string? name) =>
        Functions.TryGetValue(name ?? "linear", out var f) ? f : null;

    internal static string Unknown(string name) => $"unknown activation '{name}'; known: {string.Join(", ", Names)}.";
}
