using Descent.Nn.Layers;
using Descent.Nn.Models;
using Descent.Onnx.Proto;

namespace Descent.Onnx.Tests;

/// <summary>The file itself, read back with the same protobuf definitions: versions, names, shapes, metadata.</summary>
public class OnnxFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("descent-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(13, 7)]
    [InlineData(14, 7)]
    [InlineData(15, 8)]
    [InlineData(17, 8)]
    [InlineData(18, 8)]
    [InlineData(19, 9)]
    [InlineData(20, 9)]
    [InlineData(21, 10)]
    [InlineData(22, 10)]
    [InlineData(23, 11)]
    public void The_ir_version_is_the_one_onnx_released_with_the_opset(int opset, long irVersion)
    {
        // Pairs from ONNX's release table (onnx/helper.py VERSION_TABLE, e.g. 1.12.0: IR 8, opset 17).
        var proto = ModelProto.Parser.ParseFrom(new Sequential([new Dense(2)], [3]).ToOnnx(opset));
        Assert.Equal(irVersion, proto.IrVersion);
        var import = Assert.Single(proto.OpsetImport);
        Assert.Equal("", import.Domain);
        Assert.Equal(opset, import.Version);
    }

    [Fact]
    public void ExportOnnx_writes_the_bytes_ToOnnx_gives_and_nothing_else()
    {
        var model = new Sequential([new Dense(3, "relu"), new Dense(2)], [4], seed: 1);
        string path = Path.Combine(_folder, "sub", "model.onnx");

        model.ExportOnnx(path);
        File.WriteAllText(path, "stale");
        model.ExportOnnx(path);

        Assert.Equal(model.ToOnnx(), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(Path.Combine(_folder, "sub")));
    }

    [Fact]
    public void Inputs_and_outputs_have_a_symbolic_batch_and_the_model_shapes()
    {
        var model = new Sequential([new Reshape([4, 4, 1]), new Conv2D(3, 3), new Flatten(), new Dense(5)], [16], name: "cnn");
        var graph = ModelProto.Parser.ParseFrom(model.ToOnnx()).Graph;

        Assert.Equal("cnn", graph.Name);
        var input = Assert.Single(graph.Input);
        Assert.Equal("input", input.Name);
        Assert.Equal((int)OnnxElementType.Float, input.Type.TensorType.ElemType);
        Assert.Equal(["batch", "16"], input.Type.TensorType.Shape.Dim.Select(Describe));
        var output = Assert.Single(graph.Output);
        Assert.Equal("output", output.Name);
        Assert.Equal(["batch", "5"], output.Type.TensorType.Shape.Dim.Select(Describe));
    }

    [Fact]
    public void A_model_that_starts_with_an_embedding_takes_int64_ids()
    {
        var model = new Sequential([new Embedding(7, 2), new Flatten(), new Dense(1)], [3]);
        var graph = ModelProto.Parser.ParseFrom(model.ToOnnx()).Graph;
        Assert.Equal((int)OnnxElementType.Int64, graph.Input[0].Type.TensorType.ElemType);
        Assert.DoesNotContain(graph.Node, n => n.OpType == "Cast");
    }

    [Fact]
    public void Conv2D_runs_between_transposes_with_an_onnx_layout_kernel_named_after_the_layer()
    {
        var model = new Sequential([new Conv2D(4, (3, 2), name: "conv")], [5, 6, 2]);
        var graph = ModelProto.Parser.ParseFrom(model.ToOnnx()).Graph;

        Assert.Equal(["Transpose", "Conv", "Transpose", "Identity"], graph.Node.Select(n => n.OpType));
        Assert.All(graph.Node.SkipLast(1), n => Assert.StartsWith("conv/", n.Name));
        var kernel = graph.Initializer.Single(t => t.Name == "conv/kernel");
        Assert.Equal([4L, 2, 3, 2], kernel.Dims);
        Assert.Equal(4 * 2 * 3 * 2 * sizeof(float), kernel.RawData.Length);
        // Element [f, c, i, j] of ONNX's kernel is element [i, j, c, f] of Keras's.
        var onnx = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(kernel.RawData.Span).ToArray();
        var keras = ((Conv2D)model.Layers[0]).Kernel!.ToArray<float>();
        for (int f = 0; f < 4; f++)
            for (int c = 0; c < 2; c++)
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 2; j++)
                        Assert.Equal(keras[((i * 2 + j) * 2 + c) * 4 + f], onnx[((f * 2 + c) * 3 + i) * 2 + j]);
    }

    [Fact]
    public void Model_metadata_goes_into_metadata_props_as_json()
    {
        var model = new Sequential([new Dense(2)], [3]);
        model.Metadata["class_names"] = new[] { "cat", "dog" };
        model.Metadata["dataset"] = "pets";
        var proto = ModelProto.Parser.ParseFrom(model.ToOnnx());

        Assert.Equal(OnnxExport.ProducerName, proto.ProducerName);
        Assert.Equal(["class_names=[\"cat\",\"dog\"]", "dataset=\"pets\""], proto.MetadataProps.Select(p => $"{p.Key}={p.Value}").Order());
    }

    [Fact]
    public void A_saved_and_loaded_model_exports_the_same_bytes()
    {
        var model = new Sequential([new Dense(3, "tanh"), new BatchNormalization(), new Dense(2)], [4], seed: 9, name: "round_trip");
        LayerCases.Randomize(model, seed: 1);
        string folder = Path.Combine(_folder, "saved");
        model.Save(folder);

        Assert.Equal(model.ToOnnx(), Model.Load(folder).ToOnnx());
    }

    private static string Describe(TensorShapeProto.Types.Dimension d) =>
        d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
