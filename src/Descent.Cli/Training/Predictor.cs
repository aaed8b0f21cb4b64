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
    public static PredictResult Run(string modelFolder, string inputPath)
    {
        if (!Directory.Exists(modelFolder))
            throw new DirectoryNotFoundException($"--model '{modelFolder}': the folder does not exist; give a folder written by descent train.");
        var model = Model.Load(modelFolder);
        var metadata = ModelMetadata.ReadFrom(model, Path.Combine(modelFolder, Model.ArchitectureFile));

        var table = CsvTable.Read(inputPath);
        if (table.Rows.Count == 0)
            throw new InvalidDataException($"{inputPath}: the file has a header but no data rows.");
        foreach (string column in metadata.FeatureNames)
            if (!table.HasColumn(column))
                throw new InvalidDataException($"{inputPath}, line {table.HeaderLine}: the model needs the column '{column}', which the file lacks.");
        var features = table.Features(metadata.FeatureNames);
        metadata.Scaler.TransformInPlace(features);
        int rows = table.Rows.Count, classes = metadata.ClassNames.Count;
        var logits = model.Predict(Tensor.FromArray(features, rows, metadata.FeatureNames.Count), 256);
        if (logits.Rank != 2 || logits.Shape[1] != classes)
            throw new InvalidDataException($"'{modelFolder}': the model gives outputs [{string.Join(", ", logits.Shape)}] but its metadata names {classes} classes.");
        var probabilities = logits.Softmax(1).ToArray<double>();

        int target = table.HasColumn(metadata.Target) ? table.ColumnIndex(metadata.Target) : -1;
        var predictions = new Prediction[rows];
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            var p = probabilities.AsSpan(r * classes, classes).ToArray();
            int label = 0;
            for (int c = 1; c < classes; c++) if (p[c] > p[label]) label = c;
            string? truth = target >= 0 ? table.Rows[r][target] : null;
            if (truth == metadata.ClassNames[label]) correct++;
            predictions[r] = new Prediction(r + 1, metadata.ClassNames[label], label, p, truth);
        }
        return new PredictResult(modelFolder, inputPath, metadata, predictions, target >= 0 ? (double)correct / rows : null);
    }
}
