using System.Globalization;
using System.Runtime.InteropServices;
using Descent.Nn.Layers;
using Descent.Onnx.Proto;
using Google.Protobuf;

namespace Descent.Onnx;

/// <summary>
/// The ONNX graph being written. Model and layer exporters (see <see cref="OnnxExporters"/>) add inputs, constant
/// tensors and operator nodes, and pass values around by name. While a layer is exported, the names of its nodes and
/// constants start with the layer's name ("dense_1/Gemm", "dense_1/kernel"), so a graph viewer shows where each came from.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>The name of the symbolic leading dimension of every graph input and output.</summary>
    public const string BatchDimension = "batch";

    private readonly GraphProto _graph = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OnnxElementType> _types = new(StringComparer.Ordinal);
    private string _scope = "";
    private string? _inputMask;
    private string? _outputMask;

    internal OnnxGraph(string name, int opset)
    {
        // raw_data is little-endian by the ONNX specification, and the tensors are copied out as they lie in memory.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ExportOnnx: writing ONNX tensors needs a little-endian machine.");
        _graph.Name = name;
        Opset = opset;
    }

    /// <summary>The version of the standard operator set the graph is written against; exporters choose operators by it.</summary>
    public int Opset { get; }

    internal GraphProto Proto => _graph;

    /// <summary>The element type of a value of this graph (an input, a constant or a node's output).</summary>
    public OnnxElementType TypeOf(string value) =>
        _types.TryGetValue(value, out var type) ? type : throw new ArgumentException($"OnnxGraph: no value named '{value}' in the graph.", nameof(value));

    /// <summary>Adds a graph input of shape [batch, .. <paramref name="shape"/>] and returns its name.</summary>
    public string AddInput(string name, IReadOnlyList<int> shape, OnnxElementType type)
    {
        ArgumentNullException.ThrowIfNull(shape);
        string unique = Claim(name);
        _graph.Input.Add(ValueInfo(unique, shape, type));
        _types[unique] = type;
        return unique;
    }

    /// <summary>Makes <paramref name="value"/> a graph output named <paramref name="name"/>, of shape [batch, .. <paramref name="shape"/>].</summary>
    public void AddOutput(string value, string name, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var type = TypeOf(value);
        // Through an Identity, so the output has the name asked for even when the value is the input itself (a model
        // of dropout layers) or a constant; runtimes drop the copy.
        string output = Claim(name);
        _graph.Node.Add(new NodeProto { OpType = "Identity", Name = Claim($"{output}/Identity"), Input = { value }, Output = { output } });
        _graph.Output.Add(ValueInfo(output, shape, type));
        _types[output] = type;
    }

    /// <summary>Adds the value of <paramref name="tensor"/> (a layer's weight, any device) as a constant named after the current layer.</summary>
    public string Constant(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var type = ElementType(tensor.DType);
        var raw = tensor.DType switch
        {
            DType.Float32 => Raw(tensor.ToArray<float>()),
            DType.Float64 => Raw(tensor.ToArray<double>()),
            DType.Int32 => Raw(tensor.ToArray<int>()),
            DType.Int64 => Raw(tensor.ToArray<long>()),
            _ => Raw(tensor.ToArray<bool>()),
        };
        return AddTensor(name, tensor.Shape.Select(d => (long)d), type, raw);
    }

    /// <summary>Adds a 1-D int64 constant (shapes, axes, pads given as inputs).</summary>
    public string Constant(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddTensor(name, [values.Length], OnnxElementType.Int64, Raw(values));
    }

    /// <summary>Adds a scalar constant of a float <paramref name="type"/>, for arithmetic with values of that type.</summary>
    public string Scalar(string name, double value, OnnxElementType type) => type switch
    {
        OnnxElementType.Float => AddTensor(name, [], type, Raw(new[] { (float)value })),
        OnnxElementType.Double => AddTensor(name, [], type, Raw(new[] { value })),
        _ => throw new ArgumentException($"OnnxGraph.Scalar: '{name}' must be float or double, not {type}.", nameof(type)),
    };

    /// <summary>
    /// Adds a node of the standard operator <paramref name="opType"/> with one output and returns the output's name.
    /// Attribute values may be int, long, float, double, string, or arrays of int, long, float, double or string.
    /// </summary>
    public string Node(string opType, IReadOnlyList<string> inputs, params (string Name, object Value)[] attributes) =>
        NodeWithOutputs(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputs"/> outputs (LSTM's Y, Y_h, Y_c) and returns their names.</summary>
    public IReadOnlyList<string> NodeWithOutputs(string opType, IReadOnlyList<string> inputs, int outputs, params (string Name, object Value)[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        // An empty name is ONNX's way of leaving an optional input out.
        foreach (string input in inputs)
            if (input.Length > 0) TypeOf(input);
        var node = new NodeProto { OpType = opType, Name = Claim(Scoped(opType)) };
        node.Input.AddRange(inputs);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(opType, name, value));
        var type = OutputType(opType, inputs, attributes);
        for (int i = 0; i < outputs; i++)
        {
            string output = Claim(outputs == 1 ? node.Name : $"{node.Name}:{i}");
            node.Output.Add(output);
            if (type is { } t) _types[output] = t;
        }
        _graph.Node.Add(node);
        return node.Output.ToArray();
    }

    /// <summary>Exports <paramref name="layer"/> applied to <paramref name="input"/> through its registered exporter and returns its output.</summary>
    public string Layer(Layer layer, string input) => Layer(layer, input, mask: null).Output;

    /// <summary>
    /// Exports <paramref name="layer"/> applied to <paramref name="input"/>, which carries <paramref name="mask"/> (a bool
    /// [batch, time] value, true at the steps that hold data, or null), and returns its output with the mask the output
    /// carries. As in <c>Sequential</c>, the layer's exporter sees the mask only when the layer supports masking, and
    /// the layer's own <c>ComputeMask</c> says whether the output carries no mask, the input's, or a new one, which
    /// the exporter then names with <see cref="SetOutputMask"/>.
    /// </summary>
    public (string Output, string? Mask) Layer(Layer layer, string input, string? mask)
    {
        ArgumentNullException.ThrowIfNull(layer);
        TypeOf(input);
        if (mask is not null && TypeOf(mask) != OnnxElementType.Bool)
            throw new ArgumentException($"OnnxGraph.Layer: the mask '{mask}' must be a bool value, not {TypeOf(mask)}.", nameof(mask));
        if (!layer.Built)
            throw new InvalidOperationException($"ExportOnnx: layer '{layer.Name}' ({layer.GetType().Name}) is not built; build the model first.");
        var export = OnnxExporters.Find(layer)
            ?? throw new ArgumentException($"ExportOnnx: layer '{layer.Name}' ({layer.GetType().Name}) has no ONNX exporter; register one with OnnxExporters.RegisterLayer<{layer.GetType().Name}>(...).", nameof(layer));
        var (outerScope, outerInputMask, outerOutputMask) = (_scope, _inputMask, _outputMask);
        // A sublayer named after its block ("block_1/feedforward_output_dense") is not prefixed twice.
        _scope = outerScope.Length == 0 || layer.Name.StartsWith($"{outerScope}/", StringComparison.Ordinal) ? layer.Name : $"{outerScope}/{layer.Name}";
        _inputMask = layer.SupportsMasking ? mask : null;
        _outputMask = null;
        try
        {
            string output = export(layer, input, this);
            return (output, OutputMask(layer, mask, _outputMask));
        }
        finally
        {
            (_scope, _inputMask, _outputMask) = (outerScope, outerInputMask, outerOutputMask);
        }
    }

    /// <summary>
    /// While a layer is exported: the mask that comes with its input, a bool [batch, time] value true at the steps that
    /// hold data, or null when none reaches it (or the layer does not support masking).
    /// </summary>
    public string? InputMask => _inputMask;

    /// <summary>
    /// While a layer is exported: names the new mask its output carries (a bool [batch, time] value), for a layer whose
    /// <c>ComputeMask</c> makes one, as <c>Masking</c> does.
    /// </summary>
    public void SetOutputMask(string mask)
    {
        if (TypeOf(mask) != OnnxElementType.Bool)
            throw new ArgumentException($"OnnxGraph.SetOutputMask: the mask '{mask}' must be a bool value, not {TypeOf(mask)}.", nameof(mask));
        _outputMask = mask;
    }

    /// <summary>The ONNX element type of a Descent dtype.</summary>
    public static OnnxElementType ElementType(DType dtype) => dtype switch
    {
        DType.Float32 => OnnxElementType.Float,
        DType.Float64 => OnnxElementType.Double,
        DType.Int32 => OnnxElementType.Int32,
        DType.Int64 => OnnxElementType.Int64,
        DType.Bool => OnnxElementType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "OnnxGraph.ElementType: no ONNX element type for this dtype."),
    };

    private string AddTensor(string name, IEnumerable<long> dims, OnnxElementType type, ByteString raw)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var tensor = new TensorProto { Name = Claim(Scoped(name)), DataType = (int)type, RawData = raw };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        _types[tensor.Name] = type;
        return tensor.Name;
    }

    private static ByteString Raw<T>(T[] values) where T : unmanaged => ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));

    // Which mask the layer's output carries, by Descent's own rule: the layer's ComputeMask, asked on a one-sample
    // probe, returns no mask, the probe's mask (passed on), or a new one, which the exporter must have written.
    private string? OutputMask(Layer layer, string? mask, string? written)
    {
        var shape = layer.InputShape!;
        var probeMask = mask is null || shape.Length == 0 ? null : Tensor.Ones([1, shape[0]], DType.Bool);
        var computed = layer.ComputeMask(Tensor.Zeros([1, .. shape], layer.DType), probeMask);
        if (computed is null) return null;
        if (ReferenceEquals(computed, probeMask)) return mask;
        return written ?? throw new ArgumentException(
            $"ExportOnnx: layer '{layer.Name}' ({layer.GetType().Name}) makes a mask for the layers after it, and its exporter does not write it; "
            + "name it with graph.SetOutputMask(...) in the exporter.", nameof(layer));
    }

    private string Scoped(string name) => _scope.Length == 0 ? name : $"{_scope}/{name}";

    // Every value and node gets a distinct name: a second "Transpose" in one layer becomes "Transpose_1".
    private string Claim(string name)
    {
        string unique = name;
        for (int i = 1; !_names.Add(unique); i++) unique = $"{name}_{i}";
        return unique;
    }

    // The element type of a node's outputs: every operator the exporters use keeps its first input's type except these.
    private OnnxElementType? OutputType(string opType, IReadOnlyList<string> inputs, (string Name, object Value)[] attributes)
    {
        if (opType == "Cast")
            return attributes.Where(a => a.Name == "to").Select(a => (OnnxElementType?)(OnnxElementType)Convert.ToInt32(a.Value, CultureInfo.InvariantCulture)).FirstOrDefault();
        if (opType == "Shape") return OnnxElementType.Int64;
        if (opType is "Equal" or "Greater" or "Less" or "GreaterOrEqual" or "LessOrEqual" or "Not" or "And" or "Or") return OnnxElementType.Bool;
        // Where(condition, x, y) has the type of its values, not of its bool condition.
        if (opType == "Where" && inputs.Count == 3) return _types[inputs[1]];
        return inputs.Count > 0 && inputs[0].Length > 0 ? _types[inputs[0]] : null;
    }

    private static AttributeProto Attribute(string opType, string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int or long or OnnxElementType:
                a.Type = AttributeProto.Types.AttributeType.Int;
                a.I = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                break;
            case float or double:
                a.Type = AttributeProto.Types.AttributeType.Float;
                a.F = Convert.ToSingle(value, CultureInfo.InvariantCulture);
                break;
            case string s:
                a.Type = AttributeProto.Types.AttributeType.String;
                a.S = ByteString.CopyFromUtf8(s);
                break;
            case int[] or long[]:
                a.Type = AttributeProto.Types.AttributeType.Ints;
                a.Ints.AddRange(((Array)value).Cast<object>().Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)));
                break;
            case float[] or double[]:
                a.Type = AttributeProto.Types.AttributeType.Floats;
                a.Floats.AddRange(((Array)value).Cast<object>().Select(v => Convert.ToSingle(v, CultureInfo.InvariantCulture)));
                break;
            case string[] strings:
                a.Type = AttributeProto.Types.AttributeType.Strings;
                a.Strings.AddRange(strings.Select(ByteString.CopyFromUtf8));
                break;
            default:
                throw new ArgumentException($"OnnxGraph.Node: {opType} attribute '{name}' is a {value?.GetType().Name ?? "null"}; use an int, long, float, double, string or an array of them.", nameof(value));
        }
        return a;
    }

    private static ValueInfoProto ValueInfo(string name, IReadOnlyList<int> shape, OnnxElementType type)
    {
        var tensorShape = new TensorShapeProto();
        tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (int d in shape) tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }
}
