using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Models;
using Descent.Nn.Tests.Serialization;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Models;

/// <summary>Sequence layers inside models: saving and loading, and a character-level LSTM that learns and generates.</summary>
[OnEveryDevice]
public class SequenceModelTests
{
    public static TheoryData<string> Stacks => ["convolutional recurrent", "masked recurrent"];

    private static Sequential Stack(string name) => name switch
    {
        "convolutional recurrent" => new Sequential(
        [
            new Conv1D(4, 3, padding: "causal", activation: "relu"), new MaxPooling1D(2), new Bidirectional(new LSTM(3, returnSequences: true)),
            new GRU(3, returnSequences: true, resetAfter: false), new GlobalMaxPooling1D(), new Dense(1),
        ], inputShape: [8, 2], seed: 4),
        _ => new Sequential(
        [
            new Masking(), new SimpleRNN(3, returnSequences: true, goBackwards: true), new Bidirectional(new GRU(2, returnSequences: true), "ave"),
            new GlobalAveragePooling1D(),
        ], inputShape: [5, 2], seed: 5),
    };

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Save_then_load_gives_identical_predictions(string name)
    {
        using var folder = new TempFolder();
        var model = Stack(name);
        model.Save(folder.Path);
        var loaded = Model.Load(folder.Path);

        var shape = model.InputShape!;
        var x = Tensor.RandomUniform([3, .. shape], new Generator(9), -1, 1);
        // Zero the last step of the second sample: a padding step for the Masking layer.
        x = x * Tensor.FromArray(Enumerable.Range(0, 3 * shape[0]).Select(i => i == 2 * shape[0] - 1 ? 0f : 1f).ToArray(), 3, shape[0], 1);
        Assert.Equal(model.Variables.Select(v => v.Name), loaded.Variables.Select(v => v.Name));
        Assert.Equal(model.Layers.Select(l => l.GetType()), loaded.Layers.Select(l => l.GetType()));
        Assert.Equal(model.Predict(x).ToArray<float>(), loaded.Predict(x).ToArray<float>());
    }

    [Fact]
    public void A_char_lstm_learns_a_repeating_text_and_generates_it_with_carried_state()
    {
        const string text = "hello world ";
        var vocabulary = text.Distinct().Order().ToArray();
        int Id(char c) => Array.IndexOf(vocabulary, c);
        const int time = 8;
        var stream = string.Concat(Enumerable.Repeat(text, 3));
        // One window per starting position; the targets are the inputs shifted by one character.
        int windows = text.Length;
        var ids = new int[windows * time];
        var next = new int[windows * time];
        for (int n = 0; n < windows; n++)
            for (int t = 0; t < time; t++)
                (ids[n * time + t], next[n * time + t]) = (Id(stream[n + t]), Id(stream[n + t + 1]));
        var x = Tensor.FromArray(ids, windows, time);
        var y = Tensor.FromArray(next, windows, time);

        var embedding = new Embedding(vocabulary.Length, 8);
        var lstm = new LSTM(32, returnSequences: true);
        var head = new Dense(vocabulary.Length);
        var model = new Sequential([embedding, lstm, head], seed: 1);
        model.Compile(new Adam(0.02), new SparseCategoricalCrossentropy(fromLogits: true));
        var history = model.Fit(x, y, epochs: 150, batchSize: windows, verbose: 0);
        Assert.True(history["loss"][^1] < 0.1 * history["loss"][0], $"loss went from {history["loss"][0]} to {history["loss"][^1]}");

        // Two characters of context determine the next one everywhere in this text.
        var predicted = model.Predict(x).ArgMax(-1).ToArray<int>();
        for (int n = 0; n < windows; n++)
            for (int t = 2; t < time; t++)
                Assert.Equal(next[n * time + t], predicted[n * time + t]);

        // Generation one character at a time, the LSTM's state carried from call to call.
        var prompt = embedding.Call(Tensor.FromArray(new[] { Id('h'), Id('e') }, 1, 2));
        var step = lstm.CallWithState(prompt);
        var generated = new System.Text.StringBuilder();
        var last = step.Output.SliceAxis(1, 1, 1);
        for (int i = 0; i < 6; i++)
        {
            int id = head.Call(last).ArgMax(-1).ToArray<int>()[0];
            generated.Append(vocabulary[id]);
            step = lstm.CallWithState(embedding.Call(Tensor.FromArray(new[] { id }, 1, 1)), step.States);
            last = step.Output;
        }
        Assert.Equal("llo wo", generated.ToString());
    }
}
