using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Descent.Nn.Serialization;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8
/// JSON describing each tensor's dtype, shape and byte range, padded with spaces so the data starts 8-byte aligned,
/// then the tensors' bytes (little-endian, row-major, contiguous, no gaps). Files load in PyTorch, JAX and Keras.
/// </summary>
public static class SafeTensors
{
    /// <summary>The key reserved for the string-to-string metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest header accepted, as in the reference implementation (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Writes <paramref name="tensors"/> (in the dictionary's order) and optional <paramref name="metadata"/> to
    /// <paramref name="path"/> atomically: a temporary file in the same folder is written, flushed and renamed.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("SafeTensors: only little-endian machines are supported.");
        var blobs = new List<byte[]>(tensors.Count);
        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                    json.WriteString(key, value ?? throw new ArgumentException($"SafeTensors.Save: metadata '{key}' is null.", nameof(metadata)));
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (string.IsNullOrEmpty(name) || name == MetadataKey)
                    throw new ArgumentException($"SafeTensors.Save: '{name}' is not a valid tensor name.", nameof(tensors));
                ArgumentNullException.ThrowIfNull(tensor, $"tensors[{name}]");
                byte[] bytes = ToBytes(tensor);
                blobs.Add(bytes);
                json.WriteStartObject(name);
                json.WriteString("dtype", DTypeCode(tensor.DType));
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes.Length;
            }
            json.WriteEndObject();
        }
        // Spaces after the JSON make 8 + N a multiple of 8, so every tensor starts aligned for zero-copy readers.
        while ((8 + header.Length) % 8 != 0) header.WriteByte((byte)' ');

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            header.Position = 0;
            header.CopyTo(stream);
            foreach (var blob in blobs) stream.Write(blob);
        });
    }

    /// <summary>
    /// Reads a safetensors file, validating it completely first. Any problem (truncation, a header length past the end,
    /// bad JSON, an unsupported dtype, offsets that overlap, leave gaps, disagree with the shape or pass the end,
    /// trailing bytes) throws <see cref="InvalidDataException"/> naming the file and the problem.
    /// </summary>
    public static SafeTensorsContent Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"SafeTensors: the file '{path}' does not exist.", path);
        byte[] file = File.ReadAllBytes(path);
        return SafeTensorsParser.Parse(file, path);
    }

    /// <summary>The spec's dtype code ("F32") for <paramref name="dtype"/>.</summary>
    internal static string DTypeCode(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int32 => "I32",
        DType.Int64 => "I64",
        DType.Bool => "BOOL",
        _ => throw new ArgumentException($"SafeTensors: dtype {dtype} has no safetensors code."),
    };

    private static byte[] ToBytes(Tensor tensor) => tensor.DType switch
    {
        DType.Float32 => MemoryMarshal.AsBytes<float>(tensor.ToArray<float>()).ToArray(),
        DType.Float64 => MemoryMarshal.AsBytes<double>(tensor.ToArray<double>()).ToArray(),
        DType.Int32 => MemoryMarshal.AsBytes<int>(tensor.ToArray<int>()).ToArray(),
        DType.Int64 => MemoryMarshal.AsBytes<long>(tensor.ToArray<long>()).ToArray(),
        DType.Bool => MemoryMarshal.AsBytes<bool>(tensor.ToArray<bool>()).ToArray(),
        _ => throw new ArgumentException($"SafeTensors.Save: dtype {tensor.DType} is not supported."),
    };
}
