namespace Descent.Cli.Training;

/// <summary>What <c>descent predict</c> found: a prediction per row, the accuracy when the file has the target column, and what looked wrong.</summary>
internal sealed record PredictResult(string ModelFolder, string Input, ModelMetadata Metadata, IReadOnlyList<Prediction> Predictions, double? Accuracy,
    IReadOnlyList<string> Warnings);
