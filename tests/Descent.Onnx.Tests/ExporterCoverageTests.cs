using Descent.Nn.Layers;

namespace Descent.Onnx.Tests;

/// <summary>
/// Which of the library's layers can be exported: a layer added to Descent.Nn has to be listed here one way or the
/// other, so that nobody finds out from a user's failed export. (Activations need no list: LayerCases makes a case of
/// each name in Activations.Names.)
/// </summary>
public class ExporterCoverageTests
{
    // Layers with no exporter yet. Exporting a model that holds one fails with an error naming it (ExportErrorTests);
    // take a layer off this list when its exporter lands in Descent.Onnx/Layers.
    private static readonly string[] NotExportableYet = [];

    [Fact]
    public void Every_public_layer_of_Descent_Nn_has_an_exporter_or_is_listed_as_not_yet()
    {
        var layerTypes = typeof(Layer).Assembly.GetExportedTypes()
            .Where(t => t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract).ToArray();
        Assert.Contains(typeof(Dense), layerTypes);
        var missing = layerTypes.Where(t => OnnxExporters.Find(t) is null).Select(t => t.Name).Order().ToArray();
        Assert.Equal(NotExportableYet.Order(), missing);
    }
}
