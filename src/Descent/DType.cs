namespace Descent;

/// <summary>The element type of a tensor.</summary>
public enum DType
{
    Float32,
    Float64,
    Int32,
    Int64,
    Bool,
}
