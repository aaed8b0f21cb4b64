using System.Collections.Concurrent;
using Descent.Nn.Layers;
using Descent.Nn.Models;
using Descent.Onnx.Layers;

namespace Descent.Onnx;

/// <summary>
/// How each kind of layer and model becomes ONNX nodes. The library's layers and <see cref="Sequential"/> are
/// registered here; register your own layer classes (and subclassed models, whose <c>Call</c> is code the exporter
/// cannot read) the same way. A class without an exporter of its own uses the one of its nearest base class.
/// </summary>
public static class OnnxExporters
{
    private sealed record LayerEntry(Func<Layer, string, OnnxGraph, string> Export, bool TakesIds);

    private static readonly ConcurrentDictionary<Type, LayerEntry> LayerExporters = new();
    private static readonly ConcurrentDictionary<Type, Action<Model, OnnxGraph>> ModelExporters = new();

    static OnnxExporters()
    {
        // One line per file in Layers/: the library's layers, each exported beside its kind.
        CoreLayerExports.Register();
        ConvolutionExports.Register();
        NormalizationExports.Register();
        EmbeddingExport.Register();
        SequenceExports.Register();
        RecurrentExports.Register();
        AttentionExports.Register();
        RegisterModel<Sequential>(SequentialExport.Export);
    }

    /// <summary>
    /// Registers (or replaces) the exporter of <typeparamref name="TLayer"/>: given the built layer, the name of its input
    /// value and the graph, it adds the layer's nodes and returns the name of its output value.
    /// </summary>
    /// <param name="export">The exporter.</param>
    /// <param name="takesIds">True for a layer that reads integer ids (an embedding): a model that starts with it takes an int64 input.</param>
    public static void RegisterLayer<TLayer>(Func<TLayer, string, OnnxGraph, string> export, bool takesIds = false) where TLayer : Layer
    {
        ArgumentNullException.ThrowIfNull(export);
        LayerExporters[typeof(TLayer)] = new LayerEntry((layer, input, graph) => export((TLayer)layer, input, graph), takesIds);
    }

    /// <summary>
    /// Registers (or replaces) the exporter of the model class <typeparamref name="TModel"/>: it adds the graph's input
    /// (<see cref="OnnxGraph.AddInput"/>), exports its layers in the order its <c>Call</c> runs them
    /// (<see cref="OnnxGraph.Layer(Descent.Nn.Layers.Layer, string)"/>) and names the output (<see cref="OnnxGraph.AddOutput"/>).
    /// </summary>
    public static void RegisterModel<TModel>(Action<TModel, OnnxGraph> export) where TModel : Model
    {
        ArgumentNullException.ThrowIfNull(export);
        ModelExporters[typeof(TModel)] = (model, graph) => export((TModel)model, graph);
    }

    /// <summary>Whether <paramref name="layer"/> (or a base class of it) has an exporter.</summary>
    public static bool CanExport(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return FindEntry(layer.GetType()) is not null;
    }

    /// <summary>Whether <paramref name="layer"/> reads integer ids, so that a model starting with it takes int64 input.</summary>
    public static bool TakesIds(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return FindEntry(layer.GetType())?.TakesIds ?? false;
    }

    internal static Func<Layer, string, OnnxGraph, string>? Find(Layer layer) => Find(layer.GetType());

    internal static Func<Layer, string, OnnxGraph, string>? Find(Type layerType) => FindEntry(layerType)?.Export;

    internal static void ExportModel(Model model, OnnxGraph graph)
    {
        for (var type = model.GetType(); type is not null && type != typeof(Model); type = type.BaseType)
            if (ModelExporters.TryGetValue(type, out var export))
            {
                export(model, graph);
                return;
            }
        throw new ArgumentException(
            $"ExportOnnx: model '{model.Name}' is a {model.GetType().Name}, whose Call is code the exporter cannot read; "
            + $"build it as a Sequential, or register its graph with OnnxExporters.RegisterModel<{model.GetType().Name}>(...).", nameof(model));
    }

    private static LayerEntry? FindEntry(Type type)
    {
        for (var t = type; t is not null && t != typeof(Layer); t = t.BaseType)
            if (LayerExporters.TryGetValue(t, out var entry)) return entry;
        return null;
    }
}
