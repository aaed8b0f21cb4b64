using Descent.Nn.Layers;
using Descent.Nn.Models;
using Descent.Nn.Tests.Layers;
using Descent.Nn.Tests.Serialization;
using Descent.Nn.Language;
using static Descent.Nn.Tests.Layers.TransformerFixture;

namespace Descent.Nn.Tests.Language;

[OnEveryDevice]
public class GptTests
{
    [Fact]
    public void Logits_loss_and_every_gradient_match_a_pytorch_gpt_with_the_same_weights()
    {
        var c = Get("gpt");
        var model = Gpt.Create(c.GetProperty("vocabulary_size").GetInt32(), c.GetProperty("context").GetInt32(), c.GetProperty("layers").GetInt32(),
            c.GetProperty("heads").GetInt32(), c.GetProperty("width").GetInt32(), dtype: DType.Float64);
        LoadWeights(model.Variables, c.GetProperty("weights"), "");
        var ids = Tensor.FromArray(c.GetProperty("ids").Ints(), [2, 6], null);
        var targets = Tensor.FromArray(c.GetProperty("targets").Ints(), [12], null);
        using var tape = new GradientTape();
        var logits = model.Call(ids);
        FixtureFile.AssertClose(c.GetProperty("logits").Doubles(), logits.ToArray<double>(), 1e-10, "logits");
        var loss = Tensor.SparseSoftmaxCrossEntropy(logits.Reshape(12, -1), targets).Mean();
        Assert.Equal(c.GetProperty("loss").GetDouble(), loss.Item<double>(), 10);
        var variables = model.TrainableVariables;
        var grads = tape.Gradient(loss, variables);
        for (int i = 0; i < variables.Count; i++)
            FixtureFile.AssertClose(c.GetProperty("weights").GetProperty(variables[i].Name).GetProperty("grad").Doubles(),
                grads[i]!.ToArray<double>(), 1e-9, variables[i].Name);
    }

    [Fact]
    public void The_baby_gpt_has_nanogpts_shape_and_parameter_count()
    {
        var model = Gpt.Create(65);
        Assert.Equal(["embedding", "block_1", "block_2", "block_3", "block_4", "final_norm", "head"], model.Layers.Select(l => l.Name));
        // 65·128 + 64·128 embeddings; per block 4·(128² + 128) attention, 2·256 norms, 128·512 + 512 + 512·128 + 128 MLP;
        // a final norm of 256 and a head of 128·65 + 65: the peer's BabyGPT (bench/peer.py) counts the same.
        long perBlock = 4 * (128 * 128 + 128) + 2 * 256 + 128 * 512 + 512 + 512 * 128 + 128;
        Assert.Equal(65 * 128 + 64 * 128 + 4 * perBlock + 256 + 128 * 65 + 65, model.TrainableVariables.Sum(v => (long)v.Size));
        var logits = model.Call(Tensor.FromArray(new int[2 * 10], 2, 10));
        Assert.Equal([2, 10, 65], logits.Shape);
        Assert.Contains("width 130 must be a multiple of the number of heads 4", Assert.Throws<ArgumentException>(() => Gpt.Create(65, width: 130)).Message);
    }

    [Fact]
    public void It_saves_and_loads_as_a_sequential_with_the_same_outputs()
    {
        using var folder = new TempFolder();
        var model = Gpt.Create(7, context: 6, layers: 1, heads: 2, width: 8, dropout: 0.1, seed: 3);
        var ids = Tensor.FromArray(new[] { 1, 2, 3, 6, 0 }, 1, 5);
        var before = model.Call(ids).ToArray<float>();
        model.Save(folder.Path);
        var loaded = Model.Load(folder.Path);
        Assert.Equal(before, loaded.Call(ids).ToArray<float>());
        Assert.Equal(model.Layers.Select(l => l.GetType()), loaded.Layers.Select(l => l.GetType()));
    }

    [Fact]
    public void A_few_steps_of_adamw_lower_the_loss_on_a_repeating_text()
    {
        var vocabulary = CharVocabulary.FromText("abcd");
        var windows = new ContextWindows(vocabulary.Encode(string.Concat(Enumerable.Repeat("abcdabca", 40))), 8);
        var model = Gpt.Create(vocabulary.Size, context: 8, layers: 1, heads: 2, width: 16, seed: 1);
        var optimizer = new Optimizers.AdamW(3e-3, 0.9, 0.99, weightDecay: 0.1) { GlobalClipNorm = 1.0 };
        var generator = new Generator(2);
        double Loss(Tensor x, Tensor y) => Tensor.SparseSoftmaxCrossEntropy(model.Call(x).Reshape(-1, vocabulary.Size), y.Reshape(-1)).Mean().Item<float>();
        var (x0, y0) = windows.Sample(8, new Generator(9));
        double first = Loss(x0, y0);
        for (int step = 0; step < 60; step++)
        {
            var (x, y) = windows.Sample(8, generator);
            using var tape = new GradientTape();
            var loss = Tensor.SparseSoftmaxCrossEntropy(model.Call(x, training: true).Reshape(-1, vocabulary.Size), y.Reshape(-1)).Mean();
            var variables = model.TrainableVariables;
            optimizer.ApplyGradients(tape.Gradient(loss, variables), variables);
        }
        // The text is mostly predictable from the last few characters; a uniform guess scores ln 4 ≈ 1.39.
        Assert.True(Loss(x0, y0) < 0.6 * first, $"loss {first} → {Loss(x0, y0)}");
    }

    [Fact]
    public void A_training_step_reads_nothing_back()
    {
        var model = Gpt.Create(7, context: 8, layers: 1, heads: 2, width: 8, seed: 1);
        var optimizer = new Optimizers.AdamW(1e-3, 0.9, 0.99, weightDecay: 0.1) { GlobalClipNorm = 1.0 };
        var (x, y) = new ContextWindows(Enumerable.Range(0, 40).Select(i => i % 7).ToArray(), 8).Sample(3, new Generator(1));
        var variables = model.TrainableVariables;
        void Step()
        {
            using var tape = new GradientTape();
            var loss = Tensor.SparseSoftmaxCrossEntropy(model.Call(x, training: true).Reshape(-1, 7), y.Reshape(-1)).Mean();
            optimizer.ApplyGradients(tape.Gradient(loss, variables), variables);
        }
        Step(); // the optimizer's state
        long before = Tensor.Downloads;
        Step();
        Assert.Equal(before, Tensor.Downloads);
    }
}
