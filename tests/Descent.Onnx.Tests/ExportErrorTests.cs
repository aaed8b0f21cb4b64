using Descent.Nn.Layers;
using Descent.Nn.Models;

namespace Descent.Onnx.Tests;

/// <summary>What cannot be exported says what and why, and leaves no file behind.</summary>
public class ExportErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("descent-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_layer_without_an_exporter_is_named_with_its_class()
    {
        var model = new Sequential([new Dense(3), new Unexportable(name: "mystery")], [4]);
        string path = Path.Combine(_folder, "model.onnx");

        var e = Assert.Throws<ArgumentException>(() => model.ExportOnnx(path));

        Assert.Contains("layer 'mystery' (Unexportable) has no ONNX exporter", e.Message);
        Assert.Contains("OnnxExporters.RegisterLayer<Unexportable>", e.Message);
        Assert.False(OnnxExporters.CanExport(model.Layers[1]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void A_subclassed_model_without_an_exporter_is_named_with_its_class()
    {
        var model = new Opaque();
        model.Build([3]);

        var e = Assert.Throws<ArgumentException>(() => model.ToOnnx());

        Assert.Contains("model 'opaque' is a Opaque", e.Message);
        Assert.Contains("OnnxExporters.RegisterModel<Opaque>", e.Message);
    }

    [Fact]
    public void A_model_that_is_not_built_is_refused()
    {
        var model = new Sequential([new Dense(2)], name: "lazy");
        var e = Assert.Throws<InvalidOperationException>(() => model.ToOnnx());
        Assert.Contains("model 'lazy' is not built", e.Message);
    }

    [Fact]
    public void A_model_without_layers_is_refused()
    {
        var model = new Sequential(inputShape: [3], name: "empty");
        var e = Assert.Throws<InvalidOperationException>(() => model.ToOnnx());
        Assert.Contains("model 'empty' has no layers", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(OnnxExport.MinOpset - 1)]
    [InlineData(OnnxExport.MaxOpset + 1)]
    public void An_opset_outside_the_written_range_is_refused_with_the_range(int opset)
    {
        var model = new Sequential([new Dense(2)], [3]);
        string path = Path.Combine(_folder, "model.onnx");

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.ExportOnnx(path, opset));

        Assert.Equal("opset", e.ParamName);
        Assert.Contains($"opset {opset} is not supported; choose {OnnxExport.MinOpset} to {OnnxExport.MaxOpset}", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Null_and_blank_arguments_are_refused()
    {
        var model = new Sequential([new Dense(2)], [3]);
        Assert.Throws<ArgumentNullException>(() => ((Model)null!).ExportOnnx("x.onnx"));
        Assert.Throws<ArgumentNullException>(() => model.ExportOnnx(null!));
        Assert.Throws<ArgumentException>(() => model.ExportOnnx(" "));
        Assert.Throws<ArgumentNullException>(() => OnnxExporters.RegisterLayer<Dense>(null!));
        Assert.Throws<ArgumentNullException>(() => OnnxExporters.CanExport(null!));
    }

    [Fact]
    public void A_path_that_cannot_be_written_fails_with_the_io_error_and_leaves_the_old_file()
    {
        // A folder where the file should go: the rename onto it fails, and the temporary file is cleaned up.
        string path = Path.Combine(_folder, "taken");
        Directory.CreateDirectory(path);
        var model = new Sequential([new Dense(2)], [3]);

        Assert.ThrowsAny<IOException>(() => model.ExportOnnx(path));

        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_folder));
    }
}
