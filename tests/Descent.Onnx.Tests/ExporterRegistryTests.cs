using Descent.Nn.Layers;
using Descent.Nn.Models;

namespace Descent.Onnx.Tests;

/// <summary>Exporters for a user's own layers and subclassed models, registered beside the library's.</summary>
[OnEveryDevice]
public class ExporterRegistryTests
{
    static ExporterRegistryTests()
    {
        // The registrations docs/onnx.md shows.
        OnnxDocSamples.RegisterScale();
        OnnxDocSamples.RegisterResidual();
        OnnxExporters.RegisterLayer<BadAttribute>((_, x, graph) => graph.Node("Relu", [x], ("colour", new object())));
        OnnxExporters.RegisterLayer<DanglingInput>((_, _, graph) => graph.Node("Relu", ["nowhere"]));
    }

    [Fact]
    public void A_registered_layer_exports_through_its_exporter()
    {
        var model = new Sequential([new Dense(3), new Scale(-2.5), new Dense(2)], [4], seed: 1);
        Assert.True(OnnxExporters.CanExport(model.Layers[1]));
        OnnxRuntimeRunner.AssertMatchesPredict(model, Values(5, 4));
    }

    [Fact]
    public void A_subclass_without_an_exporter_of_its_own_uses_its_base_class_one_unless_told_otherwise()
    {
        // Halve derives from Scale, so the Scale exporter covers it: the nearest registered base class wins.
        var model = new Sequential([new Halve()], [3]);
        OnnxRuntimeRunner.AssertMatchesPredict(model, Values(2, 3));
    }

    [Fact]
    public void A_registered_subclassed_model_exports_the_graph_its_exporter_writes()
    {
        var model = new Residual();
        model.Build([4]);
        OnnxRuntimeRunner.AssertMatchesPredict(model, Values(6, 4));
    }

    [Fact]
    public void A_subclass_of_a_registered_model_uses_the_base_class_exporter()
    {
        var model = new WiderResidual();
        model.Build([4]);
        OnnxRuntimeRunner.AssertMatchesPredict(model, Values(3, 4));
    }

    [Fact]
    public void An_attribute_of_a_type_onnx_lacks_is_refused_by_name()
    {
        var model = new Sequential([new BadAttribute(name: "odd")], [3]);
        var e = Assert.Throws<ArgumentException>(() => model.ToOnnx());
        Assert.Contains("Relu attribute 'colour' is a Object", e.Message);
    }

    [Fact]
    public void A_node_reading_a_value_the_graph_lacks_is_refused_by_name()
    {
        var model = new Sequential([new DanglingInput()], [3]);
        var e = Assert.Throws<ArgumentException>(() => model.ToOnnx());
        Assert.Contains("no value named 'nowhere'", e.Message);
    }

    private static Tensor Values(int rows, int columns)
    {
        var random = new Random(rows * 100 + columns);
        return Tensor.FromArray(Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), rows, columns);
    }
}
