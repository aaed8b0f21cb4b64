using System.Buffers.Binary;
using System.Text;
using Descent.Nn.Serialization;

namespace Descent.Nn.Tests.Serialization;

[OnEveryDevice]
public class SafeTensorsTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference.safetensors");

    [Fact]
    public void Reference_file_written_by_hand_from_the_spec_loads_exactly()
    {
        var content = SafeTensors.Load(Fixture);

        Assert.Equal(new Dictionary<string, string> { ["source"] = "make_safetensors.py", ["note"] = "spec by hand" }, content.Metadata);
        // File order: by data offset.
        Assert.Equal(["layer/int32", "a_float32", "flags", "b_float64", "scalar_int64", "empty"], content.Tensors.Keys);
        var t = content.Tensors;
        Assert.Equal(DType.Int32, t["layer/int32"].DType);
        Assert.Equal([2, 2], t["layer/int32"].Shape);
        Assert.Equal([1, -2, int.MaxValue, int.MinValue], t["layer/int32"].ToArray<int>());
        Assert.Equal(DType.Float32, t["a_float32"].DType);
        Assert.Equal([2, 3], t["a_float32"].Shape);
        Assert.Equal([0.5f, -1.25f, 3f, (float)1e-8, -0f, 65504f], t["a_float32"].ToArray<float>());
        Assert.True(float.IsNegative(t["a_float32"].ToArray<float>()[4]));
        Assert.Equal([true, false, false, true], t["flags"].ToArray<bool>());
        Assert.Equal(DType.Float64, t["b_float64"].DType);
        Assert.Equal([Math.PI, -Math.E, 1e300], t["b_float64"].ToArray<double>());
        Assert.Equal(DType.Int64, t["scalar_int64"].DType);
        Assert.Equal(0, t["scalar_int64"].Rank);
        Assert.Equal(-9007199254740993L, t["scalar_int64"].Item<long>());
        Assert.Equal([0, 3], t["empty"].Shape);
    }

    [Fact]
    public void Saving_the_reference_contents_reproduces_the_data_buffer()
    {
        using var folder = new TempFolder();
        var content = SafeTensors.Load(Fixture);
        string path = folder.File("copy.safetensors");
        SafeTensors.Save(path, content.Tensors, content.Metadata);
        byte[] original = File.ReadAllBytes(Fixture), copy = File.ReadAllBytes(path);
        // Same tensors in the same offset order, so the data buffers (after the headers) are byte-identical.
        Assert.Equal(original[(8 + HeaderLength(original))..], copy[(8 + HeaderLength(copy))..]);
    }

    [Fact]
    public void Every_dtype_round_trips_bit_exactly()
    {
        using var folder = new TempFolder();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = Tensor.FromArray([float.NaN, float.PositiveInfinity, -0f, float.Epsilon, 1.5f, float.MaxValue], 2, 3),
            ["f64"] = Tensor.FromArray([double.NaN, double.NegativeInfinity, -0.0, double.Epsilon], 4),
            ["i32"] = Tensor.FromArray([int.MinValue, 0, int.MaxValue], 3, 1),
            ["i64"] = Tensor.FromArray([long.MinValue, long.MaxValue], 1, 2),
            ["bool"] = Tensor.FromArray([true, false, true], 3),
            ["scalar"] = Tensor.Scalar(2.5f).Reshape(),
            ["empty"] = Tensor.Zeros([2, 0], DType.Float64),
            ["transposed"] = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3).Transpose(1, 0),
        };
        string path = folder.File("all.safetensors");
        SafeTensors.Save(path, tensors);
        var loaded = SafeTensors.Load(path).Tensors;

        Assert.Equal(tensors.Keys, loaded.Keys);
        foreach (var (name, expected) in tensors)
        {
            var actual = loaded[name];
            Assert.Equal(expected.DType, actual.DType);
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(Bits(expected), Bits(actual));
        }
        Assert.Equal([1f, 4, 2, 5, 3, 6], loaded["transposed"].ToArray<float>()); // written row-major
        Assert.Empty(SafeTensors.Load(path).Metadata);
    }

    [Fact]
    public void Metadata_round_trips_and_the_header_is_8_byte_aligned()
    {
        using var folder = new TempFolder();
        for (int length = 1; length <= 9; length++)
        {
            string path = folder.File($"m{length}.safetensors");
            var metadata = new Dictionary<string, string> { ["format"] = "pt", ["key"] = new string('x', length), ["ünï"] = "çødé \"quoted\"" };
            SafeTensors.Save(path, new Dictionary<string, Tensor> { [new string('w', length)] = Tensor.Ones([3]) }, metadata);

            byte[] bytes = File.ReadAllBytes(path);
            int n = HeaderLength(bytes);
            Assert.Equal(0, (8 + n) % 8);
            Assert.Equal((byte)'{', bytes[8]);
            string header = Encoding.UTF8.GetString(bytes, 8, n);
            Assert.Equal(header.TrimEnd(' ').Length + header.Length - header.TrimEnd(' ').Length, n);
            Assert.EndsWith("}", header.TrimEnd(' '));
            Assert.Equal(8 + n + 12, bytes.Length);
            Assert.Equal(metadata, SafeTensors.Load(path).Metadata);
        }
    }

    [Fact]
    public void Save_replaces_the_file_atomically_and_leaves_no_temporary_files()
    {
        using var folder = new TempFolder();
        string path = folder.File("w.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = Tensor.Ones([2]) });
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["b"] = Tensor.Zeros([3]) });
        Assert.Equal(["b"], SafeTensors.Load(path).Tensors.Keys);
        Assert.Equal(["w.safetensors"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_rejects_the_reserved_metadata_name()
    {
        using var folder = new TempFolder();
        Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(folder.File("x.safetensors"), new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Ones([1]) }));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    public static TheoryData<string, string> CorruptFiles => new()
    {
        { "is larger than the file", "header_length_past_end" },
        { "not valid JSON", "bad_json" },
        { "does not start with '{'", "header_not_object" },
        { "does not start with '{'", "header_array" },
        { "not valid UTF-8", "invalid_utf8" },
        { "unknown or unsupported", "unknown_dtype" },
        { "unknown or unsupported", "f16_dtype" },
        { "needs 8 bytes but data_offsets", "shape_offset_mismatch" },
        { "overlap", "overlapping_offsets" },
        { "gap", "gap_between_tensors" },
        { "end before they begin", "offsets_reversed" },
        { "pass the end of the data buffer", "offsets_out_of_bounds" },
        { "trailing bytes", "trailing_garbage" },
        { "pass the end of the data buffer", "truncated_data" },
        { "truncated", "shorter_than_length_field" },
        { "names 'a' twice", "duplicate_name" },
        { "not a string", "metadata_not_string" },
        { "not an integer", "negative_dimension" },
        { "not an integer", "fractional_offset" },
        { "are all required", "missing_shape" },
        { "unexpected or repeated field", "extra_field" },
        { "not 0 or 1", "bool_byte_2" },
        { "more than", "huge_shape" },
        { "exceeds the limit", "huge_header_length" },
    };

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void Corrupt_files_throw_InvalidDataException_naming_the_file_and_problem(string problem, string caseName)
    {
        using var folder = new TempFolder();
        string path = folder.File($"{caseName}.safetensors");
        File.WriteAllBytes(path, Corrupt(caseName));
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains($"{caseName}.safetensors", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Random_corruptions_either_load_or_throw_InvalidDataException()
    {
        using var folder = new TempFolder();
        string valid = folder.File("valid.safetensors");
        SafeTensors.Save(valid, new Dictionary<string, Tensor>
        {
            ["w"] = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3),
            ["b"] = Tensor.FromArray([1.0, 2.0], 2),
            ["i"] = Tensor.FromArray([7L], 1),
            ["m"] = Tensor.FromArray([true, false], 2),
        }, new Dictionary<string, string> { ["k"] = "v" });
        byte[] original = File.ReadAllBytes(valid);
        var generator = new Generator(20240601);
        int loaded = 0, rejected = 0;
        string path = folder.File("fuzz.safetensors");
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bytes = Mutate(original, generator, trial % 4);
            File.WriteAllBytes(path, bytes);
            try
            {
                SafeTensors.Load(path);
                loaded++;
            }
            catch (InvalidDataException e)
            {
                Assert.Contains("fuzz.safetensors", e.Message);
                rejected++;
            }
        }
        Assert.Equal(300, loaded + rejected);
        Assert.True(rejected > 100, $"only {rejected} of 300 corruptions were rejected");
        Assert.True(loaded > 0, "no flip landed in tensor data");
    }

    private static byte[] Mutate(byte[] original, Generator g, int kind)
    {
        var bytes = (byte[])original.Clone();
        switch (kind)
        {
            case 0: // flip a few bytes anywhere
                for (int i = 0, n = 1 + g.NextInt(3); i < n; i++) bytes[g.NextInt(bytes.Length)] ^= (byte)(1 + g.NextInt(255));
                return bytes;
            case 1: // truncate
                return bytes[..g.NextInt(bytes.Length)];
            case 2: // a new header length, near the true one or anywhere
                ulong length = g.NextInt(2) == 0 ? (ulong)(HeaderLength(bytes) + g.NextInt(17) - 8) : g.NextUInt64();
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
                return bytes;
            default: // flip a byte inside the JSON header, or append garbage
                if (g.NextInt(2) == 0)
                {
                    bytes[8 + g.NextInt(HeaderLength(bytes))] = (byte)g.NextInt(256);
                    return bytes;
                }
                return [.. bytes, .. Enumerable.Range(0, 1 + g.NextInt(16)).Select(_ => (byte)g.NextInt(256))];
        }
    }

    private static byte[] Corrupt(string caseName) => caseName switch
    {
        "header_length_past_end" => WithLength(Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), 10_000),
        "invalid_utf8" => Replace(Build("{\"a?\":{}}", 0), (byte)'?', 0xff), // a lone 0xFF byte in a name
        "bad_json" => Build("{\"a\":{\"dtype\":\"F32\",", 0),
        "header_not_object" => Build("  {}", 0),
        "header_array" => Build("[]", 0),
        "unknown_dtype" => Build(Entry("a", "F31", "[1]", "[0,4]"), 4),
        "f16_dtype" => Build(Entry("a", "F16", "[2]", "[0,4]"), 4),
        "shape_offset_mismatch" => Build(Entry("a", "F32", "[2]", "[0,4]"), 4),
        "overlapping_offsets" => Build($"{{{Entry("a", "F32", "[2]", "[0,8]", false)},{Entry("b", "F32", "[1]", "[4,8]", false)}}}", 8),
        "gap_between_tensors" => Build($"{{{Entry("a", "F32", "[1]", "[0,4]", false)},{Entry("b", "F32", "[1]", "[8,12]", false)}}}", 12),
        "offsets_reversed" => Build(Entry("a", "F32", "[1]", "[4,0]"), 4),
        "offsets_out_of_bounds" => Build(Entry("a", "F32", "[4]", "[0,16]"), 8),
        "trailing_garbage" => Build(Entry("a", "F32", "[1]", "[0,4]"), 9),
        "truncated_data" => Build(Entry("a", "F64", "[2]", "[0,16]"), 16)[..^3],
        "shorter_than_length_field" => [1, 2, 3],
        "duplicate_name" => Build($"{{{Entry("a", "F32", "[1]", "[0,4]", false)},{Entry("a", "F32", "[1]", "[4,8]", false)}}}", 8),
        "metadata_not_string" => Build("{\"__metadata__\":{\"k\":1}}", 0),
        "negative_dimension" => Build(Entry("a", "F32", "[-1]", "[0,4]"), 4),
        "fractional_offset" => Build(Entry("a", "F32", "[1]", "[0,4.5]"), 4),
        "missing_shape" => Build("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4),
        "extra_field" => Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4),
        "bool_byte_2" => Build(Entry("a", "BOOL", "[2]", "[0,2]"), 2, fill: 2),
        "huge_shape" => Build(Entry("a", "F32", "[2147483647,2147483647]", "[0,4]"), 4),
        "huge_header_length" => WithLength(new byte[8 + 64], 100_000_001),
        _ => throw new ArgumentException(caseName),
    };

    private static string Entry(string name, string dtype, string shape, string offsets, bool wrap = true)
    {
        string entry = $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":{offsets}}}";
        return wrap ? $"{{{entry}}}" : entry;
    }

    private static byte[] Build(string header, int dataBytes, byte fill = 0)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        bytes.AsSpan(8 + json.Length).Fill(fill);
        return bytes;
    }

    private static byte[] Replace(byte[] bytes, byte from, byte to)
    {
        for (int i = 8; i < bytes.Length; i++)
            if (bytes[i] == from) bytes[i] = to;
        return bytes;
    }

    private static byte[] WithLength(byte[] bytes, ulong length)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        return bytes;
    }

    private static int HeaderLength(byte[] bytes) => (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);

    private static byte[] Bits(Tensor t) => t.DType switch
    {
        DType.Float32 => t.ToArray<float>().SelectMany(BitConverter.GetBytes).ToArray(),
        DType.Float64 => t.ToArray<double>().SelectMany(BitConverter.GetBytes).ToArray(),
        DType.Int32 => t.ToArray<int>().SelectMany(BitConverter.GetBytes).ToArray(),
        DType.Int64 => t.ToArray<long>().SelectMany(BitConverter.GetBytes).ToArray(),
        _ => t.ToArray<bool>().Select(b => b ? (byte)1 : (byte)0).ToArray(),
    };
}
