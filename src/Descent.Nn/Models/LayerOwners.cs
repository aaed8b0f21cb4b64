using System.Runtime.CompilerServices;
using Descent.Nn.Layers;

namespace Descent.Nn.Models;

/// <summary>
/// Remembers which model tracks each layer, so that a layer built lazily on its first call draws its weights
/// from its model's seeded generator rather than from a fixed default: one model seed then fixes every weight.
/// </summary>
internal static class LayerOwners
{
    private static readonly ConditionalWeakTable<Layer, Model> Owners = new();

    public static void Register(Layer layer, Model model) => Owners.AddOrUpdate(layer, model);

    /// <summary>The owning model's generator, or null (the layer's default) for a layer no model tracks.</summary>
    public static Generator? GeneratorFor(Layer layer) => Owners.TryGetValue(layer, out var model) ? model.BuildGenerator : null;
}
