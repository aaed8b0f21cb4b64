namespace Descent.Cli.Training;

/// <summary>
/// One input row's prediction: its 1-based data row, the most probable class (name and label) and every class's
/// probability; all three null when the model's outputs for the row are not finite.
/// </summary>
internal sealed record Prediction(int Row, string? Class, int? Label, double[]? Probabilities, string? TrueClass);
