using Descent.Nn.Language;
using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Models;
using Descent.Optimizers;

namespace Descent.Onnx.Tests;

/// <summary>
/// Sequence models as a user trains them, exported after training and run by ONNX Runtime: a masked LSTM classifier of
/// padded sequences, a character GPT and a char-rnn. On the CPU only, as EndToEndExportTests (LayerExportTests covers every device).
/// </summary>
public class SequenceModelExportTests
{
    [Fact]
    public void A_trained_masked_lstm_classifier_gives_the_probabilities_Predict_gives()
    {
        // Whether the numbers of a sequence of 2 to 8 sum above zero, padded with zeros at the end, or for a third of
        // them at the start, so that both the padding and the mask matter.
        const int samples = 300, time = 8;
        var random = new Random(5);
        var values = new float[samples * time];
        var labels = new int[samples];
        for (int s = 0; s < samples; s++)
        {
            int length = random.Next(2, time + 1), start = s % 3 == 0 ? time - length : 0;
            double sum = 0;
            for (int t = start; t < start + length; t++) sum += values[s * time + t] = (float)(random.NextDouble() * 2 - 1);
            labels[s] = sum > 0 ? 1 : 0;
        }
        var x = Tensor.FromArray(values, samples, time, 1);
        var y = Tensor.FromArray(labels, samples);
        var model = new Sequential([new Masking(), new LSTM(8), new Dense(2, "softmax")], seed: 1);
        model.Compile(new Adam(0.02), new SparseCategoricalCrossentropy(), [new SparseCategoricalAccuracy()]);

        var history = model.Fit(x, y, epochs: 8, batchSize: 32, verbose: 0, seed: 2);

        Assert.True(history["loss"][^1] < 0.8 * history["loss"][0], $"the model did not train: loss {history["loss"][0]} -> {history["loss"][^1]}");
        foreach (int opset in new[] { OnnxExport.MinOpset, OnnxExport.DefaultOpset, OnnxExport.MaxOpset })
            OnnxRuntimeRunner.AssertMatchesPredict(model, x, opset);
    }

    [Fact]
    public void A_trained_gpt_gives_the_logits_Predict_gives()
    {
        var vocabulary = CharVocabulary.FromText("abcd");
        var windows = new ContextWindows(vocabulary.Encode(string.Concat(Enumerable.Repeat("abcdabca", 40))), 8);
        var model = Gpt.Create(vocabulary.Size, context: 8, layers: 2, heads: 2, width: 16, seed: 1);
        var optimizer = new AdamW(3e-3, 0.9, 0.99, weightDecay: 0.1) { GlobalClipNorm = 1.0 };
        var generator = new Generator(2);
        double Loss(Tensor x, Tensor y) => Tensor.SparseSoftmaxCrossEntropy(model.Call(x).Reshape(-1, vocabulary.Size), y.Reshape(-1)).Mean().Item<float>();
        var (x0, y0) = windows.Sample(16, new Generator(9));
        double first = Loss(x0, y0);
        for (int step = 0; step < 40; step++)
        {
            var (x, y) = windows.Sample(8, generator);
            using var tape = new GradientTape();
            var loss = Tensor.SparseSoftmaxCrossEntropy(model.Call(x, training: true).Reshape(-1, vocabulary.Size), y.Reshape(-1)).Mean();
            var variables = model.TrainableVariables;
            optimizer.ApplyGradients(tape.Gradient(loss, variables), variables);
        }

        Assert.True(Loss(x0, y0) < 0.8 * first, $"the model did not train: loss {first} -> {Loss(x0, y0)}");
        // The graph takes int64 ids [batch, context] and gives the logits of every position.
        var ids = x0.Cast(DType.Int64);
        foreach (int opset in new[] { OnnxExport.MinOpset, OnnxExport.DefaultOpset, OnnxExport.MaxOpset })
            OnnxRuntimeRunner.AssertMatchesPredict(model, ids, opset);
    }

    [Fact]
    public void A_char_rnn_gives_the_logits_Predict_gives()
    {
        // descent train --dataset shakespeare --model lstm's model: an embedding, two LSTMs over every step, a dense head.
        var model = CharRnn.Create(7, context: 6, layers: 2, width: 5, seed: 1);
        LayerCases.Randomize(model, seed: 2);
        var random = new Random(3);
        var ids = Tensor.FromArray(Enumerable.Range(0, 4 * 6).Select(_ => (long)random.Next(7)).ToArray(), 4, 6);
        OnnxRuntimeRunner.AssertMatchesPredict(model, ids);
    }

    [Fact]
    public void A_gpt_prompt_shorter_than_the_context_can_be_padded_with_any_id()
    {
        // docs/onnx.md's claim: the attention is causal, so a position's logits do not depend on the ids after it.
        var model = Gpt.Create(6, context: 8, layers: 2, heads: 2, width: 8, seed: 3);
        LayerCases.Randomize(model, seed: 4);
        var file = model.ToOnnx();
        long[] prompt = [1, 4, 2, 5, 3];
        var (a, shape) = OnnxRuntimeRunner.Run(file, Tensor.FromArray((long[])[.. prompt, 0, 0, 0], 1, 8));
        var (b, _) = OnnxRuntimeRunner.Run(file, Tensor.FromArray((long[])[.. prompt, 5, 1, 2], 1, 8));
        Assert.Equal([1L, 8, 6], shape);
        int promptLogits = prompt.Length * 6;
        Assert.Equal(a[..promptLogits], b[..promptLogits]);
        Assert.NotEqual(a[promptLogits..], b[promptLogits..]);
    }
}
