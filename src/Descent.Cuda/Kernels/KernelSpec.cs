using System.Text;

namespace Descent.Cuda.Kernels;

/// <summary>What a kernel parameter holds; the launcher writes arguments of exactly these kinds, in this order.</summary>
internal enum ParamKind { Pointer, Int32, Int64, Float32, Float64, Layout }

/// <summary>
/// One kernel parameter: a device pointer to elements of <see cref="CType"/> (const when <see cref="ReadOnly"/>),
/// a scalar, or a <c>Lay&lt;Rank&gt;</c> (offset, extents and strides of a collapsed layout, passed by value).
/// </summary>
internal readonly record struct KernelParam(ParamKind Kind, string Name, string CType = "", bool ReadOnly = false, int Rank = 0)
{
    public static KernelParam In(string name, string ctype) => new(ParamKind.Pointer, name, ctype, ReadOnly: true);
    public static KernelParam Out(string name, string ctype) => new(ParamKind.Pointer, name, ctype);
    public static KernelParam Int(string name) => new(ParamKind.Int32, name);
    public static KernelParam Long(string name) => new(ParamKind.Int64, name);
    public static KernelParam Lay(string name, int rank) => new(ParamKind.Layout, name, Rank: rank);

    /// <summary>A scalar of the C type <paramref name="ctype"/> (float, double, int, i64, u8 as int).</summary>
    public static KernelParam Scalar(string name, string ctype) => ctype switch
    {
        "float" => new(ParamKind.Float32, name, ctype),
        "double" => new(ParamKind.Float64, name, ctype),
        "i64" => new(ParamKind.Int64, name, ctype),
        _ => new(ParamKind.Int32, name, "int"),
    };

    /// <summary>The declaration in the kernel's parameter list.</summary>
    public string Declaration => Kind switch
    {
        ParamKind.Pointer => $"{(ReadOnly ? "const " : "")}{CType}* {Name}",
        ParamKind.Int32 => $"int {Name}",
        ParamKind.Int64 => $"i64 {Name}",
        ParamKind.Float32 => $"float {Name}",
        ParamKind.Float64 => $"double {Name}",
        _ => $"Lay<{Rank}> {Name}",
    };

    /// <summary>Bytes the argument takes in the kernel's parameter buffer, and its alignment.</summary>
    public (int Size, int Align) Footprint => Kind switch
    {
        ParamKind.Pointer or ParamKind.Int64 or ParamKind.Float64 => (8, 8),
        ParamKind.Layout => (4 * (1 + 2 * Rank), 4),
        _ => (4, 4),
    };
}

/// <summary>
/// A generated kernel: its entry point's name, its parameters and its CUDA C definition. The source compiled is
/// <see cref="Prelude.Text"/> followed by <see cref="Definition"/>; the signature is printed from <see cref="Params"/>,
/// and the launcher checks every launch's arguments against the same list, so the two cannot drift apart.
/// </summary>
internal sealed class KernelSpec
{
    public KernelSpec(string name, IReadOnlyList<KernelParam> parameters, string body, string helpers = "", int maxThreads = 0)
    {
        Name = name;
        Params = parameters;
        var text = new StringBuilder();
        if (helpers.Length > 0) text.Append(helpers).Append('\n');
        text.Append("extern \"C\" __global__ void ");
        if (maxThreads > 0) text.Append($"__launch_bounds__({maxThreads}) ");
        text.Append(name).Append('(').AppendJoin(", ", parameters.Select(p => p.Declaration)).Append(")\n{\n");
        foreach (var line in body.Trim('\n').Split('\n')) text.Append("    ").Append(line.TrimEnd()).Append('\n');
        text.Append("}\n");
        Definition = text.ToString();
    }

    /// <summary>The extern "C" entry point: op, dtypes and collapsed rank spelled out (unary_exp_f32_r2).</summary>
    public string Name { get; }

    public IReadOnlyList<KernelParam> Params { get; }

    /// <summary>The kernel's own text, helpers first.</summary>
    public string Definition { get; }

    /// <summary>What NVRTC compiles: the shared prelude, then this kernel.</summary>
    public string Source => Prelude.Text + Definition;

    public override string ToString() => Name;
}
