using Descent.Nn.Data;
using Descent.Nn.Models;

namespace Descent.Cli.Training;

/// <summary>
/// The work of <c>descent predict</c>: load a folder saved by <c>descent train</c>, read the feature columns it was
/// trained on from a CSV file (by name, in any order), scale them as in training, and return each row's class
/// probabilities. A target column in the file, if any, gives the accuracy.
/// </summary>
internal static class Predictor
{
    public static PredictResult Run(string modelFolder, string inputPath, string delimiter = CsvDelimiter.Default)
    {
        if (!Directory.Exists(modelFolder))
            throw new DirectoryNotFoundException($"--model '{modelFolder}': the folder does not exist; give a folder written by descent train.");
        var model = Model.Load(modelFolder);
        var metadata = ModelMetadata.ReadFrom(model, Path.Combine(modelFolder, Model.ArchitectureFile));
        // A model whose training diverged predicts NaN for everything; say what happened instead of printing nothing useful.
        foreach (var v in model.Variables)
            if (v.ToArray<double>().Any(x => !double.IsFinite(x)))
                throw new InvalidDataException($"'{modelFolder}': weight '{v.Name}' holds NaN or infinity, so every prediction would be NaN; " +
                    "its training diverged. Train it again with a lower --lr.");

        var table = CsvTable.Read(inputPath, delimiter);
        if (table.Rows.Count == 0)
            throw new InvalidDataException($"{inputPath}: the file has a header but no data rows.");
        foreach (string column in metadata.FeatureNames)
            if (!table.HasColumn(column))
                throw new InvalidDataException($"{inputPath}, line {table.HeaderLine}: the model needs the column '{column}', which the file lacks{CsvDelimiter.Hint(table)}.");
        var features = table.Features(metadata.FeatureNames);
        metadata.Scaler.TransformInPlace(features);
        int rows = table.Rows.Count, classes = metadata.ClassNames.Count;
        var logits = model.Predict(Tensor.FromArray(features, rows, metadata.FeatureNames.Count), 256);
        if (logits.Rank != 2 || logits.Shape[1] != classes)
            throw new InvalidDataException($"'{modelFolder}': the model gives outputs [{string.Join(", ", logits.Shape)}] but its metadata names {classes} classes.");
        var probabilities = logits.Softmax(1).ToArray<double>();

        int target = table.HasColumn(metadata.Target) ? table.ColumnIndex(metadata.Target) : -1;
        var predictions = new Prediction[rows];
        int correct = 0, notFinite = 0;
        for (int r = 0; r < rows; r++)
        {
            var p = probabilities.AsSpan(r * classes, classes).ToArray();
            string? truth = target >= 0 ? table.Rows[r][target] : null;
            if (!Array.TrueForAll(p, double.IsFinite))
            {
                // Inputs far outside what the model saw can overflow its outputs: no class, and JSON gets null, not NaN.
                notFinite++;
                predictions[r] = new Prediction(r + 1, null, null, null, truth);
                continue;
            }
            int label = 0;
            for (int c = 1; c < classes; c++) if (p[c] > p[label]) label = c;
            if (truth == metadata.ClassNames[label]) correct++;
            predictions[r] = new Prediction(r + 1, metadata.ClassNames[label], label, p, truth);
        }

        var warnings = new List<string>();
        if (notFinite > 0)
            warnings.Add($"{notFinite} of {rows} rows gave outputs that are not finite numbers (values far outside the training data?); they have no class.");
        if (target >= 0 && !table.Rows.Any(row => metadata.ClassNames.Contains(row[target])))
            warnings.Add($"no value of the '{metadata.Target}' column matches a class the model knows ({string.Join(", ", metadata.ClassNames)}), " +
                $"so the accuracy is 0; the file's '{metadata.Target}' column may hold something else, or the classes are spelt differently.");
        return new PredictResult(modelFolder, inputPath, metadata, predictions, target >= 0 ? (double)correct / rows : null, warnings);
    }
}
