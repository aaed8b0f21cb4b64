namespace Descent.Onnx.Tests;

/// <summary>
/// Every layer case of <see cref="LayerCases"/>, exported at the oldest, the default and the newest operator set the
/// exporter writes, gives in ONNX Runtime what Descent's Predict gives on the same batch. On every device: the weights
/// are read from wherever the model lives.
/// </summary>
[OnEveryDevice]
public class LayerExportTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in LayerCases.Names)
            foreach (int opset in new[] { OnnxExport.MinOpset, OnnxExport.DefaultOpset, OnnxExport.MaxOpset })
                data.Add(name, opset);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Runtime_output_matches_Predict(string name, int opset)
    {
        var model = LayerCases.Model(name);
        OnnxRuntimeRunner.AssertMatchesPredict(model, LayerCases.Input(name, batch: 3), opset);
    }

    [Theory]
    [InlineData("dense on rank 3")]
    [InlineData("conv2d same stride 2 relu")]
    [InlineData("max pooling same odd size")]
    [InlineData("layer normalization axis 1 of rank 4")]
    [InlineData("embedding of a grid then dense")]
    [InlineData("conv1d same stride 2 relu")]
    [InlineData("lstm sequences")]
    [InlineData("bidirectional gru sum")]
    [InlineData("masking then bidirectional lstm sequences")]
    [InlineData("masking then gru sequences then global average pooling 1d")]
    [InlineData("token and position embedding mask zero then transformer decoder")]
    public void The_batch_size_is_free(string name)
    {
        // One file, batches of 1 and 7: the batch axis is symbolic, and Reshape/Flatten keep it free.
        var model = LayerCases.Model(name);
        var file = model.ToOnnx();
        foreach (int batch in new[] { 1, 7 })
        {
            var input = LayerCases.Input(name, batch);
            var (actual, shape) = OnnxRuntimeRunner.Run(file, input);
            var expected = model.Predict(input);
            Assert.Equal(expected.Shape.Select(d => (long)d), shape);
            OnnxRuntimeRunner.AssertClose(expected.ToArray<double>(), actual);
        }
    }

    [Theory]
    [InlineData("dense tanh")]
    [InlineData("dense softmax")]
    [InlineData("dense on rank 3")]
    [InlineData("batch normalization of images")]
    [InlineData("layer normalization axis 1 of rank 4")]
    [InlineData("global average pooling")]
    [InlineData("embedding of a grid then dense")]
    [InlineData("max pooling same odd size")]
    [InlineData("layer normalization without center")]
    [InlineData("max pooling 1d same odd size")]
    [InlineData("global max pooling 1d")]
    [InlineData("masking then global average pooling 1d")]
    [InlineData("masking then multi head attention")]
    [InlineData("token and position embedding mask zero then transformer decoder")]
    public void Float64_models_export_as_double(string name)
    {
        var model = LayerCases.Model(name, DType.Float64);
        var input = LayerCases.Input(name, batch: 3, DType.Float64);
        // Ids stay ids; values are fed in the model's dtype. (ONNX Runtime 1.31's CPU provider has no double kernel for
        // Conv, AveragePool, Elu, Erf, LeakyRelu, Softplus, RNN, LSTM or GRU: docs/onnx.md lists them. Their type
        // constraints allow double all the same; OnnxFileTests checks that a float64 LSTM is written in double.)
        OnnxRuntimeRunner.AssertMatchesPredict(model, input);
        OnnxRuntimeRunner.AssertMatchesPredict(model, input, OnnxExport.MinOpset);
    }
}
