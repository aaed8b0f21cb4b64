namespace Descent.Cuda.Kernels;

/// <summary>How each dtype is spelled in the kernels: its C type, the short tag in kernel names, its size.</summary>
internal static class CTypes
{
    public static string Of(DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int32 => "int",
        DType.Int64 => "i64",
        DType.Bool => "u8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>f32, f64, i32, i64, b8: the part of a kernel's name that says its dtype.</summary>
    public static string Tag(DType dtype) => dtype switch
    {
        DType.Float32 => "f32",
        DType.Float64 => "f64",
        DType.Int32 => "i32",
        DType.Int64 => "i64",
        DType.Bool => "b8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    public static int Size(DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        _ => 1,
    };

    /// <summary>The loop that gives each thread its elements i in [0, n), grid-stride, with a 64-bit counter so n near 2³¹ cannot overflow it.</summary>
    public static string GridLoop(string n, string body) =>
        $"for (i64 {LoopVariable} = (i64)blockIdx.x * blockDim.x + threadIdx.x; {LoopVariable} < (i64)({n}); {LoopVariable} += (i64)blockDim.x * gridDim.x)\n{{\n    int i = (int){LoopVariable};\n{Indent(body)}}}";

    /// <summary>
    /// The 64-bit counter of <see cref="GridLoop"/>, named so that no parameter shadows it: it was once "k", which hid
    /// the bitonic step's own k and left every cross-block sort unsorted.
    /// </summary>
    public const string LoopVariable = "grid_i";

    public static string Indent(string text) =>
        string.Concat(text.Trim('\n').Split('\n').Select(l => "    " + l + "\n"));
}
