using Descent.Nn.Models;
using Descent.Nn.Tests.Helpers;

namespace Descent.Nn.Tests.Models;

[OnEveryDevice]
public class ModelTests
{
    [Fact]
    public void One_seed_fixes_every_initial_weight_and_layers_differ()
    {
        float[] Weights(long seed) => Xor.Flat(new Sequential([new TestDense(3), new TestDense(3)], inputShape: [3], seed: seed));
        Assert.Equal(Weights(5), Weights(5));
        Assert.NotEqual(Weights(5), Weights(6));
        var model = new Sequential([new TestDense(3), new TestDense(3)], inputShape: [3], seed: 5);
        Assert.NotEqual(model.Variables[0].ToArray<float>(), model.Variables[2].ToArray<float>());
    }

    [Fact]
    public void Lazy_build_from_the_first_batch_equals_explicit_build()
    {
        var eager = new Sequential([new TestDense(2), new TestDense(1)], inputShape: [3], seed: 9);
        var lazy = new Sequential(seed: 9);
        lazy.Add(new TestDense(2));
        lazy.Add(new TestDense(1));
        Assert.False(lazy.Built);
        var (x, _) = Xor.Linear(rows: 5);
        lazy.Call(x);
        Assert.True(lazy.Built);
        Assert.Equal(Xor.Flat(eager), Xor.Flat(lazy));
    }

    [Fact]
    public void Subclassed_model_tracks_its_layers_and_uses_its_seed()
    {
        var a = new TwoLayer(seed: 3);
        var b = new TwoLayer(seed: 3);
        var (x, _) = Xor.Linear(rows: 4);
        Assert.Equal(a.Call(x).ToArray<float>(), b.Call(x).ToArray<float>());
        Assert.Equal(4, a.Variables.Count);
        Assert.Equal(4, a.TrainableVariables.Count);
        Assert.NotEqual(Xor.Flat(a), Xor.Flat(new TwoLayer(seed: 4).Also(m => m.Call(x))));
    }

    [Fact]
    public void Adding_to_a_built_sequential_builds_the_new_layer()
    {
        var model = new Sequential([new TestDense(4)], inputShape: [3]);
        model.Add(new TestDense(2));
        Assert.True(model.Built);
        Assert.Equal([4, 2], model.Variables[2].Shape);
    }

    [Fact]
    public void Duplicate_layer_names_are_rejected()
    {
        var model = new Sequential([new TestDense(2, name: "d")]);
        Assert.Throws<ArgumentException>(() => model.Add(new TestDense(2, name: "d")));
    }

    [Fact]
    public void Get_and_set_weights_copy_values()
    {
        var model = Xor.Model(seed: 1);
        var saved = model.GetWeights();
        float[] before = Xor.Flat(model);
        model.Variables[0].AssignAdd(Tensor.OnesLike(model.Variables[0]));
        Assert.NotEqual(before, Xor.Flat(model));
        model.SetWeights(saved);
        Assert.Equal(before, Xor.Flat(model));
        Assert.Throws<ArgumentException>(() => model.SetWeights(saved.Take(1).ToArray()));
    }

    [Fact]
    public void Summary_lists_layers_output_shapes_and_parameter_counts()
    {
        var model = new Sequential([new TestDense(16, name: "hidden"), new TestDense(3, name: "out")], inputShape: [8], name: "net");
        string summary = model.GetSummary();
        Assert.Contains("Model: \"net\"", summary);
        Assert.Contains("Layer (type)", summary);
        Assert.Contains("Output Shape", summary);
        Assert.Contains("Param #", summary);
        Assert.Matches(@"hidden \(TestDense\)\s*│\s*\(None, 16\)\s*│\s*144", summary);
        Assert.Matches(@"out \(TestDense\)\s*│\s*\(None, 3\)\s*│\s*51", summary);
        Assert.Contains("Total params: 195", summary);
        Assert.Contains("Trainable params: 195", summary);
        Assert.Contains("Non-trainable params: 0", summary);
    }

    [Fact]
    public void Summary_of_an_unbuilt_model_throws()
    {
        Assert.Throws<InvalidOperationException>(() => new Sequential([new TestDense(2)]).GetSummary());
        Assert.Throws<InvalidOperationException>(() => new Sequential([new TestDense(2)]).Summary());
    }

    [Fact]
    public void Summary_prints_the_table_to_the_output_as_keras_does()
    {
        var output = new StringWriter();
        var model = new Sequential([new TestDense(2)], inputShape: [3]) { Output = output };
        model.Summary();
        Assert.Equal(model.GetSummary(), output.ToString());
        Assert.Contains("Total params: 8", output.ToString());
    }

    [Fact]
    public void Subclassed_model_is_built_by_its_first_call_and_saves_and_loads_its_weights()
    {
        var model = new TwoLayer(seed: 3);
        Assert.False(model.Built);
        var (x, _) = Xor.Linear(rows: 4);
        var expected = model.Call(x).ToArray<float>();
        Assert.True(model.Built);

        using var folder = new Serialization.TempFolder();
        model.Save(folder.Path);
        var copy = new TwoLayer(seed: 99);
        copy.Call(x);
        copy.LoadWeights(System.IO.Path.Combine(folder.Path, Model.WeightsFile));
        Assert.Equal(expected, copy.Call(x).ToArray<float>());
    }

    [Fact]
    public void Subclassed_model_is_not_built_while_a_layer_has_no_weights()
    {
        var model = new TwoLayer(seed: 3);
        model.Hidden.Call(Tensor.Zeros([1, 3]));
        Assert.False(model.Built);
        using var folder = new Serialization.TempFolder();
        Assert.Throws<InvalidOperationException>(() => model.Save(folder.Path));
    }

    private sealed class TwoLayer : Model
    {
        private readonly TestDense _hidden, _output;

        public TestDense Hidden => _hidden;

        public TwoLayer(long seed) : base(seed: seed)
        {
            _hidden = AddLayer(new TestDense(3, "tanh"));
            _output = AddLayer(new TestDense(1));
        }

        public override Tensor Call(Tensor inputs, bool training = false) => _output.Call(_hidden.Call(inputs, training), training);
    }
}

internal static class ObjectExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
