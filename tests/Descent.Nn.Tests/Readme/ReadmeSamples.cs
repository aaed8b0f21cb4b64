using Descent.Nn.Callbacks;
using Descent.Nn.Data;
using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Models;
using Descent.Nn.Language;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Readme;

/// <summary>
/// README's C# samples, verbatim between the BEGIN/END markers; <see cref="ReadmeSamplesTests"/> checks that
/// README still shows exactly this code and runs it.
/// </summary>
internal static class ReadmeSamples
{
    public static (Tensor A, Tensor B) LinearRegression()
    {
        // BEGIN linear-regression
        var X = Tensor.FromArray(new[] { 0f, 0.25f, 0.5f, 0.74f, 1f });
        var y = Tensor.FromArray(new[] { 0f, 0.36f, 0.54f, 0.82f, 1f });

        var a = new Variable(0f);
        var b = new Variable(0f);
        Variable[] variables = [a, b];

        int numEpoch = 100;
        var optimizer = new SGD(learningRate: 5e-4);
        for (int e = 0; e < numEpoch; e++)
        {
            using var tape = new GradientTape();
            var yPred = a * X + b;
            var loss = (yPred - y).Square().Sum();
            var grads = tape.Gradient(loss, variables);
            optimizer.ApplyGradients(grads, variables);
        }

        Console.WriteLine($"{a} {b}");
        // END linear-regression
        return (a, b);
    }

    public static (Tensor Column, Tensor Sums, Tensor FirstDerivative, Tensor SecondDerivative) Tensors()
    {
        // BEGIN tensors
        var x = Tensor.Arange(6).Reshape(2, 3);            // float32 [[0 1 2] [3 4 5]]
        var column = x[.., 0];                              // a view: [0 3]
        var rowSums = (x * 2.0 + Tensor.FromArray(new[] { 1f, 2f, 3f })).Sum(1);   // broadcast, then [12 30]

        var w = new Variable(Tensor.FromArray(new[] { 0.5, -1.0 }));   // float64
        using var outer = new GradientTape();
        Tensor dy;
        using (var inner = new GradientTape())
        {
            var cube = w.Pow(3).Sum();
            dy = inner.Gradient(cube, w)!;                  // 3w² = [0.75 3]
        }
        var d2y = outer.Gradient(dy, w)!;                   // 6w = [3 -6]
        // END tensors
        return (column, rowSums, dy, d2y);
    }

    public static (Tensor Strided, Tensor LastColumn, Tensor FirstRow, Tensor Large, Tensor SampleStd, Tensor Unreduced) Indexing()
    {
        // BEGIN indexing
        var m = Tensor.Arange(20).Reshape(4, 5);            // float32 [[0 … 4] … [15 … 19]]
        var strided = m[1..4, TensorIndex.Slice(0, 5, 2)];  // m[1:4, 0:5:2], a view: [[5 7 9] [10 12 14] [15 17 19]]
        var lastColumn = m[TensorIndex.Ellipsis, -1];       // m[..., -1]: [4 9 14 19]
        var firstRow = m[TensorIndex.NewAxis, 0];           // m[None, 0]: shape [1,5]
        var large = m > 10.0;                               // bool, as Tensor.Greater; <, >= and <= too, but == stays reference equality
        var sampleStd = m.Std(0, ddof: 1);                  // divides by n − 1; the default ddof 0 is NumPy's and TensorFlow's
        var unreduced = m.Sum(axes: []);                    // no axes: nothing reduced (null reduces every axis)
        // END indexing
        return (strided, lastColumn, firstRow, large, sampleStd, unreduced);
    }

    public static double Keras(string folder)
    {
        // BEGIN keras
        var digits = Datasets.Digits();                     // embedded: 1797 8×8 images, labels 0–9
        var (trainRows, testRows) = DataSplit.TrainTestSplit(digits.Rows, testFraction: 0.2, seed: 42, stratifyLabels: digits.Labels);
        var train = digits.Subset(trainRows);
        var test = digits.Subset(testRows);
        var xTrain = Tensor.FromArray(train.Features, train.Rows, train.Columns) / 16.0;
        var yTrain = Tensor.FromArray(train.Labels!);

        var model = new Sequential(
        [
            new Dense(128, activation: "relu"),
            new Dropout(0.1),
            new Dense(10),
        ], seed: 1);
        model.Compile(new Adam(learningRate: 2e-3), new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy()]);
        var history = model.Fit(xTrain, yTrain, epochs: 30, batchSize: 32, validationSplit: 0.1,
            callbacks: [new EarlyStopping(monitor: "val_loss", patience: 5, restoreBestWeights: true)], verbose: 0);

        var scores = model.Evaluate(Tensor.FromArray(test.Features, test.Rows, test.Columns) / 16.0, Tensor.FromArray(test.Labels!));
        Console.WriteLine($"test accuracy {scores["sparse_categorical_accuracy"]:P1} after {history.Epochs.Count} epochs");
        model.Save(folder);                                 // model.json + model.safetensors
        var restored = Model.Load(folder);
        // END keras
        var again = restored.Predict(Tensor.FromArray(test.Features, test.Rows, test.Columns) / 16.0);
        var original = model.Predict(Tensor.FromArray(test.Features, test.Rows, test.Columns) / 16.0);
        Assert.Equal(original.ToArray<float>(), again.ToArray<float>());
        return scores["sparse_categorical_accuracy"];
    }

    public static (Device Default, Device Result, Device Weights, float[] OnCpu, float[] OnReference, string Error) Devices()
    {
        // BEGIN devices
        var x = Tensor.RandomNormal([4, 3], seed: 1);            // on Device.Default: the CPU
        var onReference = x.To(Device.Reference);                 // a copy on another device
        var y = (onReference * 2.0).Relu().Sum(axis: 0);          // ops run where their operands live

        Device inside;
        using (Device.Use(Device.Reference))                      // the default for creators, as tf.device
            inside = Tensor.Zeros(2, 2).Device;

        var model = new Sequential([new Dense(4, activation: "relu"), new Dense(2)], seed: 0);
        model.Build([3]);
        model.To(Device.Reference);                               // every variable moves in place
        var logits = model.Predict(onReference);

        string error = "";
        try { _ = x + onReference; }                              // never an implicit copy
        catch (ArgumentException e) { error = e.Message; }        // "Add: operands are on cpu and reference; move one with .To(...)."
        // END
        return (inside, y.Device, logits.Device, (x * 2.0).Relu().Sum(axis: 0).ToArray<float>(), y.ToArray<float>(), error);
    }

    public static (double First, double Last) CustomLoop()
    {
        var (x, y) = (Tensor.RandomNormal([256, 4], new Generator(5)), Tensor.FromArray(Enumerable.Range(0, 256).Select(i => i % 3).ToArray()));
        // BEGIN custom-loop
        var layers = new Layer[] { new Dense(16, activation: "tanh"), new Dense(3) };
        var lossFn = new SparseCategoricalCrossentropy(fromLogits: true);
        var optimizer = new Adam(learningRate: 1e-2);
        double first = 0, last = 0;
        for (int step = 0; step < 50; step++)
        {
            using var tape = new GradientTape();
            var logits = layers.Aggregate(x, (h, layer) => layer.Call(h, training: true));
            var loss = lossFn.Compute(y, logits);
            var variables = layers.SelectMany(l => l.TrainableVariables).ToList();
            optimizer.ApplyGradients(tape.Gradient(loss, variables), variables);
            if (step == 0) first = loss.Item<float>();
            last = loss.Item<float>();
        }
        // END custom-loop
        return (first, last);
    }

    public static (double First, double Last, string Text) CharacterGpt(int steps)
    {
        double first = 0, last = 0;
        // BEGIN gpt
        string text = EmbeddedDatasets.TinyShakespeare();
        var vocabulary = CharVocabulary.FromText(text);                       // 65 characters
        var (train, validation) = new ContextWindows(vocabulary.Encode(text), context: 64).Split(0.9);
        var model = Gpt.Create(vocabulary.Size, context: 64, layers: 4, heads: 4, width: 128, seed: 1);
        var optimizer = new AdamW(1e-3, beta1: 0.9, beta2: 0.99, weightDecay: 0.1) { GlobalClipNorm = 1.0 };
        var windows = new Generator(1);
        for (int step = 0; step < steps; step++)
        {
            var (x, y) = train.Sample(12, windows);                          // [12, 64] ids and their next ids
            using var tape = new GradientTape();
            var logits = model.Call(x, training: true);                       // [12, 64, 65]
            var loss = Tensor.SparseSoftmaxCrossEntropy(logits.Reshape(-1, vocabulary.Size), y.Reshape(-1)).Mean();
            optimizer.ApplyGradients(tape.Gradient(loss, model.TrainableVariables), model.TrainableVariables);
            if (step == 0) first = loss.Item<float>();
            last = loss.Item<float>();
        }
        var writer = new LanguageModel(model, vocabulary);
        Console.WriteLine(writer.Generate("ROMEO:", 300, temperature: 0.8, topK: 40, seed: 1));
        // END gpt
        return (first, last, writer.Generate("ROMEO:", 300, temperature: 0.8, topK: 40, seed: 1));
    }
}
