using System.Globalization;

namespace Descent.Cli.Demos;

/// <summary>
/// The article's closing lines: <c>tf.keras.losses.sparse_categorical_crossentropy(y_true, y_pred)</c>
/// over a batch, then <c>tf.reduce_mean</c>, with Keras's semantics in float32. Probabilities
/// (from_logits=False) are clipped to [1e-7, 1 − 1e-7] and their log is treated as logits, so a row that
/// does not sum to 1 is renormalised; logits go through log-softmax. Either way the loss of a sample is
/// −log of the probability of its true class.
/// </summary>
internal static class BatchLossDemo
{
    /// <summary>Keras's backend epsilon.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>The first two rows are the example in Keras's documentation of this loss.</summary>
    public const string DefaultProbs = "0.05,0.95,0; 0.1,0.8,0.1; 0.25,0.6,0.15; 0.7,0.2,0.1";
    public const string DefaultProbsLabels = "1,2,1,0";
    public const string DefaultLogits = "1,2,3; 0.5,0.2,0.1; -1,0,4";
    public const string DefaultLogitsLabels = "2,0,1";

    public static BatchLossResult Run(float[][] rows, int[] labels, bool fromLogits)
    {
        int n = rows.Length, c = rows[0].Length;
        var values = Tensor.FromArray(rows.SelectMany(r => r).ToArray(), n, c);
        Tensor? clipped = fromLogits ? null : values.Clip(Epsilon, 1 - Epsilon);
        Tensor logits = clipped?.Log() ?? values;
        // Row i's true class sits at i·c + label in the flattened [n, c] matrix: one gather picks them all.
        var picks = Tensor.FromArray(labels.Select((label, i) => i * c + label).ToArray(), n);
        var logProbs = logits.LogSoftmax(-1);
        var perSample = -logProbs.Reshape(-1).Gather(picks);
        var mean = perSample.Mean();

        float[] losses = perSample.ToArray<float>();
        float[] probs = logits.Softmax(-1).ToArray<float>();
        float[]? clip = clipped?.ToArray<float>();
        var samples = new BatchLossSample[n];
        for (int i = 0; i < n; i++)
            samples[i] = new BatchLossSample(labels[i], rows[i], clip?[(i * c)..((i + 1) * c)],
                probs[(i * c)..((i + 1) * c)], probs[i * c + labels[i]], losses[i]);
        return new BatchLossResult(fromLogits, c, samples, mean.Item<float>());
    }

    /// <summary>"1,2,3; 4,5,6" to rows; every row must have the same length and hold finite numbers.</summary>
    public static float[][] ParseMatrix(string text, string option, bool probabilities)
    {
        string[] rowTexts = text.Split(';', StringSplitOptions.TrimEntries);
        var rows = new float[rowTexts.Length][];
        for (int i = 0; i < rowTexts.Length; i++)
        {
            if (rowTexts[i].Length == 0)
                throw new ArgumentException($"{option}: row {i + 1} is empty; write rows as \"1,2,3;4,5,6\".");
            string[] cells = rowTexts[i].Split(',', StringSplitOptions.TrimEntries);
            rows[i] = new float[cells.Length];
            for (int j = 0; j < cells.Length; j++)
            {
                if (!float.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new ArgumentException($"{option}: row {i + 1}, value {j + 1}: '{cells[j]}' is not a finite number.");
                if (probabilities && v is < 0 or > 1)
                    throw new ArgumentException($"{option}: row {i + 1}, value {j + 1}: {cells[j]} is not a probability (0 to 1); use --logits for scores.");
                rows[i][j] = v;
            }
            if (rows[i].Length != rows[0].Length)
                throw new ArgumentException($"{option}: row {i + 1} has {rows[i].Length} values but row 1 has {rows[0].Length}; every row needs one value per class.");
        }
        return rows;
    }

    /// <summary>"2,0,1" to class indices, one per row, each in [0, classes).</summary>
    public static int[] ParseLabels(string text, int rows, int classes)
    {
        string[] cells = text.Split(',', StringSplitOptions.TrimEntries);
        var labels = new int[cells.Length];
        for (int i = 0; i < cells.Length; i++)
        {
            if (!int.TryParse(cells[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out labels[i]))
                throw new ArgumentException($"--labels: '{cells[i]}' (label {i + 1}) is not a whole number.");
            if (labels[i] < 0 || labels[i] >= classes)
                throw new ArgumentException($"--labels: label {i + 1} is {labels[i]}, outside the {classes} classes 0 to {classes - 1}.");
        }
        if (labels.Length != rows)
            throw new ArgumentException($"--labels gives {labels.Length} labels for {rows} rows; give one per row.");
        return labels;
    }
}
