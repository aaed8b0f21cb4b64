using System.CommandLine;
using System.Globalization;
using Descent.Cli.Demos;
using Spectre.Console;

namespace Descent.Cli.Commands;

/// <summary><c>descent demo batch-loss</c>: the article's last example, sparse categorical cross-entropy
/// over a batch and its mean.</summary>
internal static class DemoBatchLossCommand
{
    public static Command Create(CliContext cli)
    {
        var probs = new Option<string?>("--probs") { Description = "Predicted probabilities, one row per sample: \"0.1,0.8,0.1;0.3,0.3,0.4\"", HelpName = "ROWS" };
        var logits = new Option<string?>("--logits") { Description = "Raw scores instead (implies --from-logits): \"1,2,3;0.5,0.2,0.1\"", HelpName = "ROWS" };
        var labels = new Option<string?>("--labels") { Description = "The true class of each row, from 0: \"2,0\"", HelpName = "LIST" };
        var fromLogits = new Option<bool>("--from-logits") { Description = "Treat the rows as logits (Keras's from_logits=True); alone, runs the default logits example" };

        var command = new Command("batch-loss", "Sparse categorical cross-entropy over a batch, then its mean, as the article's last example")
        {
            probs, logits, labels, fromLogits,
        };
        command.SetAction(parseResult =>
        {
            string? probsText = parseResult.GetValue(probs), logitsText = parseResult.GetValue(logits), labelsText = parseResult.GetValue(labels);
            if (probsText is not null && logitsText is not null)
                throw new ArgumentException("give either --probs or --logits, not both.");
            if (probsText is not null && parseResult.GetValue(fromLogits))
                throw new ArgumentException("--probs are probabilities; for logits use --logits.");
            bool useLogits = logitsText is not null || parseResult.GetValue(fromLogits);
            if ((probsText ?? logitsText) is not null && labelsText is null)
                throw new ArgumentException("--labels is required with your own --probs or --logits.");
            string matrix = logitsText ?? probsText ?? (useLogits ? BatchLossDemo.DefaultLogits : BatchLossDemo.DefaultProbs);
            var rows = BatchLossDemo.ParseMatrix(matrix, useLogits ? "--logits" : "--probs", probabilities: !useLogits);
            var y = BatchLossDemo.ParseLabels(labelsText ?? (useLogits ? BatchLossDemo.DefaultLogitsLabels : BatchLossDemo.DefaultProbsLabels),
                rows.Length, rows[0].Length);
            var result = BatchLossDemo.Run(rows, y, useLogits);
            if (cli.IsJson(parseResult))
                cli.WriteJson(ToJson(result));
            else
                Describe(cli.Console, result);
            return 0;
        });
        return command;
    }

    /// <summary>The <c>--json</c> document; docs/cli.md describes each field.</summary>
    private sealed record Json(IReadOnlyList<double> PerSample, double Mean, bool FromLogits, int Classes, IReadOnlyList<int> Labels,
        IReadOnlyList<SampleJson> Samples);

    private sealed record SampleJson(int Label, IReadOnlyList<double> Values, IReadOnlyList<double>? Clipped,
        IReadOnlyList<double> Probabilities, double PTrue, double Loss);

    private static Json ToJson(BatchLossResult r) => new(
        r.Samples.Select(s => (double)s.Loss).ToArray(), r.Mean, r.FromLogits, r.Classes, r.Samples.Select(s => s.Label).ToArray(),
        r.Samples.Select(s => new SampleJson(s.Label, D(s.Values), s.Clipped is null ? null : D(s.Clipped), D(s.Probabilities), s.PTrue, s.Loss)).ToArray());

    private static double[] D(float[] v) => v.Select(x => (double)x).ToArray();

    private static void Describe(IAnsiConsole console, BatchLossResult r)
    {
        console.WriteLine("Sparse categorical cross-entropy over a batch, then the mean (the article's last example):");
        console.WriteLine($"    loss = tf.keras.losses.sparse_categorical_crossentropy(y_true=y, y_pred=y_pred{(r.FromLogits ? ", from_logits=True" : "")})");
        console.WriteLine("    loss = tf.reduce_mean(loss)");
        console.WriteLine($"{r.Samples.Count} samples, {r.Classes} classes, float32. "
            + (r.FromLogits
                ? "The rows are logits: softmax turns each into probabilities."
                : $"The rows are probabilities: Keras clips them to [{BatchLossDemo.Epsilon:G}, 1 − {BatchLossDemo.Epsilon:G}] so log never sees 0,\n"
                  + "then takes their log as logits, which divides each row by its sum."));
        console.WriteLine("Each sample's loss is −log(probability of its true class).");
        for (int i = 0; i < r.Samples.Count; i++)
        {
            var s = r.Samples[i];
            console.WriteLine();
            console.WriteLine($"  sample {i}: {(r.FromLogits ? "logits" : "probabilities")} {Row(s.Values)}, true class {s.Label}");
            if (s.Clipped is { } clipped)
            {
                if (!clipped.SequenceEqual(s.Values))
                    console.WriteLine($"    clipped       {Row(clipped)}");
                console.WriteLine($"    ÷ row sum     {Row(s.Probabilities)}   (sum was {F(clipped.Sum())})");
            }
            else
                console.WriteLine($"    softmax       {Row(s.Probabilities)}");
            console.WriteLine($"    p(class {s.Label})    {F(s.PTrue)}");
            console.WriteLine($"    loss          −log({F(s.PTrue)}) = {F(s.Loss)}");
        }
        console.WriteLine();
        console.WriteLine($"per-sample losses: {Row(r.Samples.Select(s => s.Loss).ToArray())}");
        console.WriteLine($"mean (tf.reduce_mean): ({string.Join(" + ", r.Samples.Select(s => F(s.Loss)))}) / {r.Samples.Count} = {F(r.Mean)}");
    }

    private static string Row(float[] v) => "[" + string.Join(", ", v.Select(F)) + "]";

    private static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
