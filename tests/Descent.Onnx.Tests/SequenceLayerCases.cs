using Descent.Nn.Layers;

namespace Descent.Onnx.Tests;

/// <summary>The cases of the sequence layers: 1-D convolutions and poolings, Masking, the recurrent layers and Bidirectional.</summary>
internal static partial class LayerCases
{
    /// <summary>
    /// The Keras activations ONNX's RNN, LSTM and GRU operators have; ExportErrorTests checks that each other name
    /// Descent knows is refused with the layer's name. (A property: LayerCases' case table, built by a field initializer
    /// of the other file, reads it.)
    /// </summary>
    public static string[] RecurrentActivations => ["elu", "leaky_relu", "linear", "relu", "sigmoid", "softplus", "tanh"];

    private static void AddSequenceCases(Dictionary<string, Case> cases)
    {
        cases["conv1d valid"] = new(() => [new Conv1D(3, 3)], [7, 2]);
        cases["conv1d same stride 2 relu"] = new(() => [new Conv1D(4, 3, 2, "same", activation: "relu")], [8, 3]);
        cases["conv1d same dilated even kernel"] = new(() => [new Conv1D(2, 4, padding: "same", dilationRate: 2)], [9, 1]);
        cases["conv1d causal dilated"] = new(() => [new Conv1D(2, 3, padding: "causal", dilationRate: 2)], [7, 2]);
        cases["conv1d causal stride 2 no bias softmax"] = new(() => [new Conv1D(3, 2, 2, "causal", useBias: false, activation: "softmax")], [7, 2]);
        cases["max pooling 1d valid"] = new(() => [new MaxPooling1D(2)], [7, 3]);
        cases["max pooling 1d same stride 1"] = new(() => [new MaxPooling1D(3, 1, "same")], [6, 2]);
        cases["max pooling 1d same odd size"] = new(() => [new MaxPooling1D(2, padding: "same")], [5, 2]);
        cases["global average pooling 1d"] = new(() => [new GlobalAveragePooling1D()], [5, 3]);
        cases["global average pooling 1d keepdims"] = new(() => [new GlobalAveragePooling1D(keepDims: true)], [5, 3]);
        cases["global max pooling 1d"] = new(() => [new GlobalMaxPooling1D()], [5, 3]);
        cases["global max pooling 1d keepdims"] = new(() => [new GlobalMaxPooling1D(keepDims: true)], [5, 3]);
        cases["conv1d then max pooling 1d then gru"] = new(() => [new Conv1D(4, 3, activation: "relu"), new MaxPooling1D(2), new GRU(3)], [10, 2]);

        cases["simple rnn"] = new(() => [new SimpleRNN(4)], [5, 3]);
        cases["simple rnn sequences relu"] = new(() => [new SimpleRNN(3, "relu", returnSequences: true)], [5, 2]);
        cases["simple rnn backwards sequences no bias"] = new(() => [new SimpleRNN(3, useBias: false, returnSequences: true, goBackwards: true)], [5, 2]);
        cases["lstm"] = new(() => [new LSTM(4)], [5, 3]);
        cases["lstm sequences"] = new(() => [new LSTM(3, returnSequences: true)], [6, 2]);
        cases["lstm backwards"] = new(() => [new LSTM(3, goBackwards: true)], [5, 2]);
        cases["lstm backwards sequences no bias"] = new(() => [new LSTM(3, useBias: false, returnSequences: true, goBackwards: true)], [5, 2]);
        cases["gru"] = new(() => [new GRU(4)], [5, 3]);
        cases["gru no bias"] = new(() => [new GRU(3, useBias: false)], [5, 2]);
        cases["gru backwards sequences"] = new(() => [new GRU(3, returnSequences: true, goBackwards: true)], [5, 2]);
        cases["gru reset before"] = new(() => [new GRU(4, resetAfter: false)], [5, 3]);
        cases["gru reset before sequences no bias"] = new(() => [new GRU(3, useBias: false, returnSequences: true, resetAfter: false)], [5, 2]);
        cases["lstm sequences then lstm"] = new(() => [new LSTM(4, returnSequences: true), new LSTM(2)], [5, 3]);
        cases["embedding then lstm then dense"] = new(() => [new Embedding(Vocabulary, 4), new LSTM(3), new Dense(2)], [6], InputKind.Ids);
        foreach (string activation in RecurrentActivations)
        {
            cases[$"simple rnn {activation}"] = new(() => [new SimpleRNN(3, activation, returnSequences: true)], [4, 2]);
            cases[$"lstm {activation}"] = new(() => [new LSTM(3, activation)], [4, 2]);
            cases[$"lstm gates {activation}"] = new(() => [new LSTM(3, recurrentActivation: activation)], [4, 2]);
            cases[$"gru {activation}"] = new(() => [new GRU(3, activation)], [4, 2]);
            cases[$"gru reset before gates {activation}"] = new(() => [new GRU(3, recurrentActivation: activation, resetAfter: false)], [4, 2]);
        }

        // One operator node running both directions, then each merge mode.
        cases["bidirectional lstm sequences"] = new(() => [new Bidirectional(new LSTM(3, returnSequences: true))], [5, 2]);
        cases["bidirectional lstm ave"] = new(() => [new Bidirectional(new LSTM(3), "ave")], [5, 2]);
        cases["bidirectional gru sum"] = new(() => [new Bidirectional(new GRU(3), "sum")], [5, 2]);
        cases["bidirectional gru reset before ave sequences"] = new(() => [new Bidirectional(new GRU(2, resetAfter: false, returnSequences: true), "ave")], [5, 3]);
        cases["bidirectional simple rnn mul sequences"] = new(() => [new Bidirectional(new SimpleRNN(2, returnSequences: true), "mul")], [5, 2]);
        // Two layers merged: a wrapped layer that goes backwards, and a backward layer of another kind.
        cases["bidirectional of a backwards lstm sequences"] = new(() => [new Bidirectional(new LSTM(3, returnSequences: true, goBackwards: true))], [5, 2]);
        cases["bidirectional lstm with a gru backward layer"] = new(() => [new Bidirectional(new LSTM(3), backwardLayer: new GRU(2, goBackwards: true))], [5, 2]);
        cases["bidirectional gru with a reset before backward layer sum sequences"] = new(() =>
            [new Bidirectional(new GRU(3, returnSequences: true), "sum", new GRU(3, returnSequences: true, goBackwards: true, resetAfter: false))], [5, 2]);

        // Masks: padding at the end, in between and at the start (see Pad).
        cases["masking"] = new(() => [new Masking()], [6, 3], InputKind.Padded);
        cases["masking then global average pooling 1d"] = new(() => [new Masking(), new GlobalAveragePooling1D()], [6, 3], InputKind.Padded);
        cases["masking of 2.5 then lstm"] = new(() => [new Masking(2.5), new LSTM(3)], [6, 2], InputKind.Padded, PadValue: 2.5);
        cases["masking then simple rnn"] = new(() => [new Masking(), new SimpleRNN(3)], [6, 2], InputKind.Padded);
        cases["masking then lstm sequences"] = new(() => [new Masking(), new LSTM(3, returnSequences: true)], [6, 2], InputKind.Padded);
        cases["masking then lstm backwards"] = new(() => [new Masking(), new LSTM(3, goBackwards: true)], [6, 2], InputKind.Padded);
        cases["masking then lstm zero output"] = new(() => [new Masking(), new LSTM(3, zeroOutputForMask: true)], [6, 2], InputKind.Padded);
        cases["masking then gru backwards sequences"] = new(() => [new Masking(), new GRU(3, returnSequences: true, goBackwards: true)], [6, 2], InputKind.Padded);
        cases["masking then gru reset before zero output sequences"] = new(() =>
            [new Masking(), new GRU(3, returnSequences: true, resetAfter: false, zeroOutputForMask: true)], [6, 2], InputKind.Padded);
        cases["masking then bidirectional lstm sequences"] = new(() => [new Masking(), new Bidirectional(new LSTM(3, returnSequences: true))], [6, 2], InputKind.Padded);
        cases["masking then bidirectional gru sum"] = new(() => [new Masking(), new Bidirectional(new GRU(3), "sum")], [6, 2], InputKind.Padded);
        // The mask goes on through a layer that returns sequences and through the step-wise layers, and stops at one
        // that does not take masks.
        cases["masking then lstm sequences then gru"] = new(() => [new Masking(), new LSTM(3, returnSequences: true), new GRU(2)], [6, 2], InputKind.Padded);
        cases["masking then gru sequences then global average pooling 1d"] = new(() =>
            [new Masking(), new GRU(3, returnSequences: true), new GlobalAveragePooling1D()], [6, 2], InputKind.Padded);
        cases["masking then dense then dropout then lstm"] = new(() => [new Masking(), new Dense(3, "tanh"), new Dropout(0.5), new LSTM(3)], [6, 2], InputKind.Padded);
        cases["masking then conv1d then lstm"] = new(() => [new Masking(), new Conv1D(3, 2, padding: "same"), new LSTM(3)], [6, 2], InputKind.Padded);
        cases["embedding mask zero then lstm sequences"] = new(() => [new Embedding(Vocabulary, 3, maskZero: true), new LSTM(3, returnSequences: true)], [6], InputKind.Ids);
        cases["reshape then embedding of float ids mask zero then gru"] = new(() =>
            [new Reshape([6]), new Embedding(Vocabulary, 3, maskZero: true), new GRU(2)], [6], InputKind.FloatIds);
    }

    // Whole steps of padValue in sample b of [batch, time, features]: the last two steps when b % 4 is 0, steps 1 and
    // 3 when 1, the first two when 2, none when 3 (where one feature of step 0 alone is padValue, which is not padding).
    private static void Pad(double[] values, int[] shape, double padValue)
    {
        int time = shape[1], features = shape.Skip(2).Aggregate(1, (a, b) => a * b);
        for (int b = 0; b < shape[0]; b++)
        {
            int[] padded = (b % 4) switch { 0 => [time - 2, time - 1], 1 => [1, 3], 2 => [0, 1], _ => [] };
            foreach (int t in padded)
                Array.Fill(values, padValue, (b * time + t) * features, features);
            if (b % 4 == 3) values[b * time * features] = padValue;
        }
    }
}
