using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Descent.Nn.Serialization;

/// <summary>Validates and decodes the bytes of a safetensors file; never reads outside the array.</summary>
internal static class SafeTensorsParser
{
    private sealed record Entry(string Name, DType DType, int[] Shape, long Begin, long End);

    public static SafeTensorsContent Parse(byte[] file, string path)
    {
        string source = path;
        if (file.Length < 8)
            throw Error(source, $"truncated: {file.Length} bytes, too short for the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > SafeTensors.MaxHeaderBytes)
            throw Error(source, $"the header length {headerLength} exceeds the limit of {SafeTensors.MaxHeaderBytes} bytes");
        if (headerLength > (ulong)(file.Length - 8))
            throw Error(source, $"the header length {headerLength} is larger than the file: only {file.Length - 8} bytes follow the 8-byte length; the file is truncated or corrupt");
        int n = (int)headerLength;
        if (n == 0 || file[8] != (byte)'{')
            throw Error(source, "the header does not start with '{'; it must be a JSON object");

        var (entries, metadata) = ParseHeader(file.AsMemory(8, n), source);
        int dataStart = 8 + n;
        long bufferLength = file.Length - dataStart;
        CheckOffsets(entries, bufferLength, source);

        var tensors = new Dictionary<string, Tensor>(entries.Count);
        foreach (var e in entries)
            tensors.Add(e.Name, Decode(file.AsSpan(dataStart + (int)e.Begin, (int)(e.End - e.Begin)), e, source));
        return new SafeTensorsContent(tensors, metadata);
    }

    private static (List<Entry>, Dictionary<string, string>) ParseHeader(ReadOnlyMemory<byte> json, string source)
    {
        // JsonDocument decodes names lazily and would throw InvalidOperationException on bad UTF-8 later; check it first.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
            throw Error(source, "the header is not valid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw Error(source, $"the header is not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Error(source, "the header is not a JSON object");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>();
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Error(source, $"the header names '{property.Name}' twice");
                if (property.Name == SafeTensors.MetadataKey)
                    ReadMetadata(property.Value, metadata, source);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, source));
            }
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(source, $"'{SafeTensors.MetadataKey}' must be an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Error(source, $"metadata '{item.Name}' is a {item.Value.ValueKind}, not a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Error(source, $"metadata names '{item.Name}' twice");
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(source, $"tensor '{name}': the entry is not an object");
        string? code = null;
        int[]? shape = null;
        long[]? offsets = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when code is null && field.Value.ValueKind == JsonValueKind.String:
                    code = field.Value.GetString();
                    break;
                case "shape" when shape is null:
                    shape = ReadIntegers(field.Value, name, "shape", int.MaxValue, source).Select(d => (int)d).ToArray();
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntegers(field.Value, name, "data_offsets", long.MaxValue, source);
                    break;
                default:
                    throw Error(source, $"tensor '{name}': unexpected or repeated field '{field.Name}'");
            }
        }
        if (code is null || shape is null || offsets is null)
            throw Error(source, $"tensor '{name}': 'dtype', 'shape' and 'data_offsets' are all required");
        var dtype = code switch
        {
            "F32" => DType.Float32,
            "F64" => DType.Float64,
            "I32" => DType.Int32,
            "I64" => DType.Int64,
            "BOOL" => DType.Bool,
            _ => throw Error(source, $"tensor '{name}': dtype '{code}' is unknown or unsupported (supported: F32, F64, I32, I64, BOOL)"),
        };
        if (offsets.Length != 2)
            throw Error(source, $"tensor '{name}': 'data_offsets' has {offsets.Length} numbers, not 2");
        if (offsets[1] < offsets[0])
            throw Error(source, $"tensor '{name}': data_offsets [{offsets[0]}, {offsets[1]}] end before they begin");
        long elements = 1;
        foreach (int d in shape)
        {
            elements *= d;
            if (elements > int.MaxValue)
                throw Error(source, $"tensor '{name}': shape [{string.Join(", ", shape)}] has more than {int.MaxValue} elements");
        }
        long expected = elements * ElementSize(dtype);
        if (offsets[1] - offsets[0] != expected)
            throw Error(source, $"tensor '{name}': shape [{string.Join(", ", shape)}] of {code} needs {expected} bytes but data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}");
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement value, string name, string field, long max, string source)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Error(source, $"tensor '{name}': '{field}' is not an array");
        var result = new long[value.GetArrayLength()];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0 || v > max)
                throw Error(source, $"tensor '{name}': '{field}' holds {item.GetRawText()}, not an integer in [0, {max}]");
            result[i++] = v;
        }
        return result;
    }

    // The byte buffer must be covered exactly: sorted by offset, each tensor starts where the previous ended.
    private static void CheckOffsets(List<Entry> entries, long bufferLength, string source)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (var e in entries)
        {
            if (e.Begin < expected)
                throw Error(source, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] overlap the previous tensor, which ends at {expected}");
            if (e.Begin > expected)
                throw Error(source, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] leave a gap after byte {expected} of the data buffer");
            if (e.End > bufferLength)
                throw Error(source, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] pass the end of the data buffer ({bufferLength} bytes); the file is truncated");
            expected = e.End;
        }
        if (expected != bufferLength)
            throw Error(source, $"{bufferLength - expected} trailing bytes after the last tensor (the data buffer is {bufferLength} bytes, the tensors cover {expected})");
    }

    private static Tensor Decode(ReadOnlySpan<byte> bytes, Entry e, string source)
    {
        var tensor = e.DType switch
        {
            DType.Float32 => Tensor.FromSpan(MemoryMarshal.Cast<byte, float>(bytes), e.Shape),
            DType.Float64 => Tensor.FromSpan(MemoryMarshal.Cast<byte, double>(bytes), e.Shape),
            DType.Int32 => Tensor.FromSpan(MemoryMarshal.Cast<byte, int>(bytes), e.Shape),
            DType.Int64 => Tensor.FromSpan(MemoryMarshal.Cast<byte, long>(bytes), e.Shape),
            _ => Tensor.FromSpan(Bools(bytes, e, source), e.Shape),
        };
        // FromSpan reads an empty shape as "1-D"; a rank-0 entry is a scalar.
        return e.Shape.Length == 0 ? tensor.Reshape() : tensor;
    }

    private static ReadOnlySpan<bool> Bools(ReadOnlySpan<byte> bytes, Entry e, string source)
    {
        for (int i = 0; i < bytes.Length; i++)
            if (bytes[i] > 1)
                throw Error(source, $"tensor '{e.Name}': BOOL element {i} holds byte {bytes[i]}, not 0 or 1");
        return MemoryMarshal.Cast<byte, bool>(bytes);
    }

    private static int ElementSize(DType dtype) => dtype switch
    {
        DType.Float64 or DType.Int64 => 8,
        DType.Bool => 1,
        _ => 4,
    };

    private static InvalidDataException Error(string source, string problem) => new($"SafeTensors file '{source}': {problem}.");
}
