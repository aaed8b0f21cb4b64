using System.Globalization;
using System.Text;

namespace Descent;

public partial class Tensor
{
    private const int SummaryThreshold = 1000;
    private const int EdgeItems = 3;

    private const string Prefix = "Tensor(";

    /// <summary>
    /// Prints values in TensorFlow's layout under this library's own name: <c>Tensor([1. 2.], shape=(2,), dtype=float32)</c>;
    /// large tensors are summarised with "...".
    /// </summary>
    public override string ToString()
    {
        var values = ToArray<double>();
        var sb = new StringBuilder(Prefix);
        bool summarise = Size > SummaryThreshold;
        if (Rank == 0) sb.Append(FormatValue(values[0]));
        else AppendAxis(sb, values, 0, 0, summarise, Prefix.Length);
        string shape = Rank == 1 ? $"({Dims[0]},)" : "(" + string.Join(", ", Dims) + ")";
        sb.Append($", shape={shape}, dtype={DType.Name()})");
        return sb.ToString();
    }

    private void AppendAxis(StringBuilder sb, double[] values, int axis, int offset, bool summarise, int indent)
    {
        int dim = Dims[axis], stride = 1;
        for (int i = axis + 1; i < Rank; i++) stride *= Dims[i];
        sb.Append('[');
        for (int i = 0; i < dim; i++)
        {
            if (summarise && dim > 2 * EdgeItems && i == EdgeItems)
            {
                sb.Append(axis == Rank - 1 ? "... " : "...\n" + new string(' ', indent + axis + 1));
                i = dim - EdgeItems;
            }
            if (axis == Rank - 1) sb.Append(FormatValue(values[offset + i]));
            else AppendAxis(sb, values, axis + 1, offset + i * stride, summarise, indent);
            if (i < dim - 1)
                sb.Append(axis == Rank - 1 ? " " : "\n" + new string(' ', indent + axis + 1));
        }
        sb.Append(']');
    }

    private string FormatValue(double v) => DType switch
    {
        DType.Bool => v != 0 ? "True" : "False",
        DType.Int32 or DType.Int64 => v.ToString("R", CultureInfo.InvariantCulture),
        _ when double.IsNaN(v) => "nan",
        _ when double.IsInfinity(v) => v > 0 ? "inf" : "-inf",
        DType.Float32 => FloatText(((float)v).ToString("R", CultureInfo.InvariantCulture)),
        _ => FloatText(v.ToString("R", CultureInfo.InvariantCulture)),
    };

    // NumPy marks whole floats with a trailing point ("2."), so they never read as integers.
    private static string FloatText(string s) =>
        s.Contains('.') || s.Contains('E') ? s : s + ".";
}
