namespace Descent;

/// <summary>The element type of a tensor.</summary>
public enum DType
{
    /// <summary>32-bit IEEE floating point (C# <c>float</c>): the default for new tensors and layers.</summary>
    Float32,

    /// <summary>64-bit IEEE floating point (C# <c>double</c>): what gradient checks run in.</summary>
    Float64,

    /// <summary>32-bit signed integer (C# <c>int</c>).</summary>
    Int32,

    /// <summary>64-bit signed integer (C# <c>long</c>): what arg-reductions return, and the usual class labels.</summary>
    Int64,

    /// <summary>True or false (C# <c>bool</c>): what comparisons return.</summary>
    Bool,
}
