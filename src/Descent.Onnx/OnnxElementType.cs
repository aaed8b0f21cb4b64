namespace Descent.Onnx;

/// <summary>The ONNX element types the exporter writes; the values are ONNX's <c>TensorProto.DataType</c> numbers.</summary>
public enum OnnxElementType
{
    /// <summary>32-bit IEEE float (Descent's <see cref="DType.Float32"/>).</summary>
    Float = 1,

    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,

    /// <summary>64-bit signed integer: ids and shapes.</summary>
    Int64 = 7,

    /// <summary>Boolean, one byte per element.</summary>
    Bool = 9,

    /// <summary>64-bit IEEE float (Descent's <see cref="DType.Float64"/>).</summary>
    Double = 11,
}
