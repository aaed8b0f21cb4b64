using System.Text.Json;
using Descent.Nn.Models;
using Descent.Nn.Serialization;
using Descent.Nn.Tests.Helpers;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Serialization;

[OnEveryDevice]
public class ModelSaveTests
{
    static ModelSaveTests() => LayerRegistry.Register(nameof(TestDense), TestDense.FromConfig);

    private static Sequential Trained()
    {
        var (x, y) = Xor.Linear();
        var model = new Sequential([new TestDense(5, "tanh"), new TestDense(1)], inputShape: [3], seed: 11, name: "regressor");
        model.Compile(new SGD(0.05), new MseLoss());
        model.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0);
        return model;
    }

    [Fact]
    public void Save_then_load_gives_bit_identical_predictions()
    {
        using var folder = new TempFolder();
        var model = Trained();
        model.Metadata["class_names"] = new[] { "low", "high" };
        model.Metadata["scaler"] = new Dictionary<string, float[]> { ["mean"] = [1.5f], ["std"] = [2f] };
        model.Save(folder.Path);

        var loaded = Model.Load(folder.Path);

        var (x, _) = Xor.Linear(rows: 17, seed: 99);
        Assert.Equal(model.Predict(x).ToArray<float>(), loaded.Predict(x).ToArray<float>());
        Assert.Equal(model.Variables.Select(v => v.Name), loaded.Variables.Select(v => v.Name));
        Assert.Equal("regressor", loaded.Name);
        Assert.Equal(["low", "high"], ((JsonElement)loaded.Metadata["class_names"]!).EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2f, ((JsonElement)loaded.Metadata["scaler"]!).GetProperty("std")[0].GetSingle());
    }

    [Fact]
    public void Model_json_holds_the_architecture_and_the_weights_are_named_by_layer()
    {
        using var folder = new TempFolder();
        var model = new Sequential([new TestDense(2, "sigmoid", name: "hidden"), new TestDense(1, name: "out")], inputShape: [4], seed: 3, name: "m");
        model.Save(folder.Path);

        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("model.json")));
        var root = json.RootElement;
        Assert.Equal("descent.model", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("format_version").GetInt32());
        Assert.Equal("Sequential", root.GetProperty("class_name").GetString());
        Assert.Equal("model.safetensors", root.GetProperty("weights").GetString());
        var config = root.GetProperty("config");
        Assert.Equal("m", config.GetProperty("name").GetString());
        Assert.Equal(3, config.GetProperty("seed").GetInt64());
        Assert.Equal([4], config.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()));
        var layers = config.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(["TestDense", "TestDense"], layers.Select(l => l.GetProperty("class_name").GetString()));
        Assert.Equal("sigmoid", layers[0].GetProperty("config").GetProperty("activation").GetString());
        Assert.Equal(1, layers[1].GetProperty("config").GetProperty("units").GetInt32());

        var weights = SafeTensors.Load(folder.File("model.safetensors"));
        Assert.Equal(["hidden/kernel", "hidden/bias", "out/kernel", "out/bias"], weights.Tensors.Keys);
        Assert.Equal([4, 2], weights.Tensors["hidden/kernel"].Shape);
        Assert.Equal("descent", weights.Metadata["format"]);
    }

    [Fact]
    public void LoadWeights_into_a_fresh_copy_with_other_layer_names_matches_by_position()
    {
        using var folder = new TempFolder();
        var model = Trained();
        model.SaveWeights(folder.File("w.safetensors"));
        var copy = new Sequential([new TestDense(5, "tanh"), new TestDense(1)], inputShape: [3], seed: 0);
        Assert.NotEqual(Xor.Flat(model), Xor.Flat(copy));

        copy.LoadWeights(folder.File("w.safetensors"));

        Assert.Equal(Xor.Flat(model), Xor.Flat(copy));
    }

    [Fact]
    public void LoadWeights_with_a_wrong_shape_throws_and_changes_nothing()
    {
        using var folder = new TempFolder();
        Trained().SaveWeights(folder.File("w.safetensors"));
        var other = new Sequential([new TestDense(4, "tanh"), new TestDense(1)], inputShape: [3]);
        float[] before = Xor.Flat(other);

        var e = Assert.Throws<InvalidDataException>(() => other.LoadWeights(folder.File("w.safetensors")));

        Assert.Contains("w.safetensors", e.Message);
        Assert.Contains("[3, 5]", e.Message);
        Assert.Equal(before, Xor.Flat(other));
    }

    [Fact]
    public void LoadWeights_with_a_wrong_dtype_or_count_throws()
    {
        using var folder = new TempFolder();
        string path = folder.File("w.safetensors");
        var model = new Sequential([new TestDense(1)], inputShape: [2]);
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = Tensor.Zeros([2, 1], DType.Float64), ["b"] = Tensor.Zeros([1], DType.Float64) });
        Assert.Contains("float64", Assert.Throws<InvalidDataException>(() => model.LoadWeights(path)).Message);
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = Tensor.Zeros([2, 1]) });
        Assert.Contains("1 tensors", Assert.Throws<InvalidDataException>(() => model.LoadWeights(path)).Message);
    }

    [Fact]
    public void Load_with_a_custom_factory_and_unknown_classes()
    {
        using var folder = new TempFolder();
        var model = Trained();
        model.Save(folder.Path);
        int calls = 0;
        var loaded = Model.Load(folder.Path, (name, config) =>
        {
            calls++;
            return TestDense.FromConfig(config);
        });
        Assert.Equal(2, calls);
        Assert.Equal(Xor.Flat(model), Xor.Flat(loaded));

        var e = Assert.Throws<InvalidDataException>(() => Model.Load(folder.Path, (name, _) => throw new ArgumentException($"no '{name}'")));
        Assert.Contains("model.json", e.Message);
        Assert.Contains("layer 0 ('TestDense')", e.Message);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"format\":\"other\"}", "not a Descent model file")]
    [InlineData("{\"format\":\"descent.model\",\"format_version\":2}", "format_version")]
    [InlineData("{\"format\":\"descent.model\",\"format_version\":1,\"class_name\":\"MyNet\",\"config\":{}}", "cannot be rebuilt")]
    [InlineData("{\"format\":\"descent.model\",\"format_version\":1,\"class_name\":\"Sequential\",\"config\":{\"name\":\"m\",\"seed\":0,\"input_shape\":[-3],\"layers\":[]}}", "input_shape")]
    [InlineData("{\"format\":\"descent.model\",\"format_version\":1,\"class_name\":\"Sequential\",\"config\":{\"name\":\"m\",\"seed\":0,\"input_shape\":[3]}}", "\"layers\"")]
    public void Bad_model_json_throws_InvalidDataException_naming_the_file(string json, string problem)
    {
        using var folder = new TempFolder();
        Trained().Save(folder.Path);
        File.WriteAllText(folder.File("model.json"), json);
        var e = Assert.Throws<InvalidDataException>(() => Model.Load(folder.Path));
        Assert.Contains("model.json", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Load_with_weights_from_another_architecture_throws()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        Trained().Save(a.Path);
        new Sequential([new TestDense(7), new TestDense(1)], inputShape: [3]).Save(b.Path);
        File.Copy(b.File("model.safetensors"), a.File("model.safetensors"), overwrite: true);
        var e = Assert.Throws<InvalidDataException>(() => Model.Load(a.Path));
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void Saving_an_unbuilt_model_throws_invalid_operation()
    {
        using var folder = new TempFolder();
        Assert.Throws<InvalidOperationException>(() => new Sequential([new TestDense(1)]).Save(folder.Path));
    }
}
