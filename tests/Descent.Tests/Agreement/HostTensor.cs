namespace Descent.Tests.Agreement;

/// <summary>Values, shape and dtype kept on the host, so one draw becomes the same tensor on any device.</summary>
public sealed record HostTensor(double[] Values, int[] Shape, DType DType)
{
    public int Size => Values.Length;

    /// <summary>The tensor on <paramref name="device"/>, uploaded directly in its own dtype.</summary>
    public Tensor On(Device device) => DType switch
    {
        DType.Float32 => Tensor.FromArray(Values.Select(v => (float)v).ToArray(), Shape, device),
        DType.Float64 => Tensor.FromArray(Values, Shape, device),
        DType.Int32 => Tensor.FromArray(Values.Select(v => (int)v).ToArray(), Shape, device),
        DType.Int64 => Tensor.FromArray(Values.Select(v => (long)v).ToArray(), Shape, device),
        _ => Tensor.FromArray(Values.Select(v => v != 0).ToArray(), Shape, device),
    };

    public override string ToString() =>
        $"{DType.ToString().ToLowerInvariant()}[{string.Join(",", Shape)}] {{{string.Join(", ", Values.Take(12).Select(v => v.ToString("R")))}{(Size > 12 ? ", …" : "")}}}";
}
